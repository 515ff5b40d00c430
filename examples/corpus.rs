//! Writes a corpus of realistic articles for benchmarks, deterministic from a seed.
//!
//! ```text
//! cargo run --release --example corpus -- clean      N OUT [SEED]   N clean articles in OUT/
//! cargo run --release --example corpus -- sides      N OUT [SEED]   OUT/{base,upstream,stashed}/ for a real `git stash pop`
//! cargo run --release --example corpus -- conflicted N OUT [SEED]   N files with stash-pop markers (no git needed)
//! ```
//!
//! Articles are 2 to 40 KB of mixed Cyrillic and Latin text, with frontmatter
//! like the seed's (quoted title, description and keywords, ISO pubDate, a
//! `>-` block scalar, a tag list, a one-line JSON `schema`), a Markdown body
//! with headings, lists and `---` rules, and a related-links section. The
//! upstream and stashed variants differ in the frontmatter, in some body
//! paragraphs and in the links, so that git conflicts in all three.

use std::fs;
use std::path::Path;

/// xorshift64*: small, fast, and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const RU: &[&str] = &[
    "сервис",
    "клиент",
    "подход",
    "качество",
    "аренда",
    "квартира",
    "управление",
    "договор",
    "собственник",
    "уборка",
    "ресепшн",
    "стандарт",
    "команда",
    "опыт",
    "доверие",
    "процесс",
    "результат",
    "бизнес",
    "система",
    "решение",
    "время",
    "деньги",
    "вопрос",
    "ответ",
];
const EN: &[&str] = &[
    "service",
    "guest",
    "booking",
    "quality",
    "rental",
    "apartment",
    "owner",
    "cleaning",
    "standard",
    "team",
    "experience",
    "trust",
    "process",
    "result",
    "pricing",
    "review",
];

fn words(rng: &mut Rng, n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        let w = if rng.below(5) == 0 {
            rng.pick(EN)
        } else {
            rng.pick(RU)
        };
        s.push_str(w);
    }
    s
}

fn sentence(rng: &mut Rng) -> String {
    let n = 6 + rng.below(14);
    let mut s = words(rng, n);
    if let Some(c) = s.get(..s.char_indices().nth(1).map_or(s.len(), |(i, _)| i)) {
        let up = c.to_uppercase();
        s.replace_range(..c.len(), &up);
    }
    s.push('.');
    s
}

fn paragraph(rng: &mut Rng) -> String {
    let n = 2 + rng.below(5);
    (0..n).map(|_| sentence(rng)).collect::<Vec<_>>().join(" ")
}

/// One article's parts, so variants can change some of them.
#[derive(Clone)]
struct Article {
    title: String,
    description: String,
    keywords: String,
    date: String,
    summary: String,
    tags: Vec<String>,
    slug: String,
    rating: u32,
    paragraphs: Vec<String>,
    links: Vec<(String, String)>,
}

fn article(rng: &mut Rng, id: usize) -> Article {
    let target = 2_000 + rng.below(38_000);
    let mut paragraphs = Vec::new();
    let mut size = 0;
    while size < target {
        let p = if rng.below(7) == 0 {
            format!("## {}", sentence(rng).trim_end_matches('.'))
        } else if rng.below(9) == 0 {
            (0..3)
                .map(|_| format!("*   **{}** {}", words(rng, 2), sentence(rng)))
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            paragraph(rng)
        };
        size += p.len() + 2;
        paragraphs.push(p);
    }
    let links = (0..3 + rng.below(3))
        .map(|i| {
            let title = if rng.below(6) == 0 {
                ">-".to_owned()
            } else {
                sentence(rng)
            };
            (title, format!("/blog/post-{}-{i}/", rng.below(100_000)))
        })
        .collect();
    Article {
        title: sentence(rng).trim_end_matches('.').to_owned(),
        description: paragraph(rng),
        keywords: words(rng, 6).replace(' ', ", "),
        date: format!(
            "2025-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
            1 + rng.below(12),
            1 + rng.below(28),
            rng.below(24),
            rng.below(60),
            rng.below(60),
            rng.below(1000)
        ),
        summary: paragraph(rng),
        tags: (0..2 + rng.below(3))
            .map(|_| rng.pick(EN).to_owned())
            .collect(),
        slug: format!("article-{id}"),
        rating: 100 + rng.below(900) as u32,
        paragraphs,
        links,
    }
}

fn render(a: &Article) -> String {
    let mut s = String::with_capacity(48 * 1024);
    s.push_str("---\n");
    s.push_str(&format!("title: \"{}\"\n", a.title));
    s.push_str(&format!("description: \"{}\"\n", a.description));
    s.push_str(&format!("keywords: \"{}\"\n", a.keywords));
    s.push_str(&format!("pubDate: \"{}\"\n", a.date));
    s.push_str("author: \"Эксперт ButlerSPB\"\n");
    s.push_str("summary: >-\n");
    for chunk in a.summary.split(". ") {
        s.push_str(&format!("  {chunk}\n"));
    }
    s.push_str("tags:\n");
    for t in &a.tags {
        s.push_str(&format!("  - {t}\n"));
    }
    s.push_str(&format!(
        "schema: {{\"@context\":\"https://schema.org\",\"@type\":\"HowTo\",\"name\":\"{}\",\"description\":\"{}\",\"aggregateRating\":{{\"@type\":\"AggregateRating\",\"ratingValue\":\"4.9\",\"reviewCount\":{}}},\"mainEntityOfPage\":{{\"@type\":\"WebPage\",\"@id\":\"https://example.org/blog/{}/\"}}}}\n",
        a.title, a.description, a.rating, a.slug
    ));
    s.push_str("---\n");
    s.push_str(&format!("# {}\n\n", a.title));
    for p in &a.paragraphs {
        s.push_str(p);
        s.push_str("\n\n");
    }
    s.push_str("---\n\n## Читайте также\n\n");
    for (t, u) in &a.links {
        s.push_str(&format!("*   [{t}]({u})\n"));
    }
    s
}

/// A variant edited the way a second machine would: new title and metadata,
/// a few paragraphs rewritten, links replaced.
fn variant(rng: &mut Rng, base: &Article) -> Article {
    let mut v = base.clone();
    v.title = sentence(rng).trim_end_matches('.').to_owned();
    v.description = paragraph(rng);
    v.date = format!(
        "2025-08-{:02}T{:02}:00:00.000Z",
        1 + rng.below(28),
        rng.below(24)
    );
    v.rating += 1 + rng.below(50) as u32;
    let n = v.paragraphs.len();
    for _ in 0..1 + n / 8 {
        let i = rng.below(n);
        v.paragraphs[i] = paragraph(rng);
    }
    let k = rng.below(v.links.len());
    v.links[k] = (sentence(rng), format!("/blog/new-{}/", rng.below(100_000)));
    v
}

fn conflicted(up: &str, st: &str) -> String {
    // The whole-file conflict git writes when every hunk overlaps, preceded by
    // the shared opening fence like the seed's.
    let up = up.strip_prefix("---\n").unwrap_or(up);
    let st = st.strip_prefix("---\n").unwrap_or(st);
    format!("---\n<<<<<<< Updated upstream\n{up}=======\n{st}>>>>>>> Stashed changes\n")
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 {
        eprintln!("usage: corpus clean|sides|conflicted N OUT [SEED]");
        std::process::exit(2);
    }
    let mode = args[0].as_str();
    let n: usize = args[1].parse().expect("N is a number");
    let out = Path::new(&args[2]);
    let seed: u64 = args
        .get(3)
        .map_or(42, |s| s.parse().expect("SEED is a number"));
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let dirs: &[&str] = match mode {
        "clean" | "conflicted" => &[""],
        "sides" => &["base", "upstream", "stashed"],
        _ => {
            eprintln!("unknown mode {mode}: clean|sides|conflicted");
            std::process::exit(2);
        }
    };
    for d in dirs {
        fs::create_dir_all(out.join(d)).expect("create output folder");
    }
    let mut bytes = 0;
    for i in 0..n {
        let base = article(&mut rng, i);
        let name = format!("{:02}/article-{i:05}.md", i % 50);
        let write = |dir: &str, text: &str| {
            let p = out.join(dir).join(&name);
            fs::create_dir_all(p.parent().expect("parent")).expect("create folder");
            fs::write(p, text).expect("write article");
        };
        match mode {
            "clean" => {
                let t = render(&base);
                bytes += t.len();
                write("", &t);
            }
            "sides" => {
                let (up, st) = (variant(&mut rng, &base), variant(&mut rng, &base));
                write("base", &render(&base));
                write("upstream", &render(&up));
                let s = render(&st);
                bytes += s.len();
                write("stashed", &s);
            }
            _ => {
                let (up, st) = (variant(&mut rng, &base), variant(&mut rng, &base));
                let t = conflicted(&render(&up), &render(&st));
                bytes += t.len();
                write("", &t);
            }
        }
    }
    eprintln!(
        "corpus: {n} {mode} articles, {} KB, in {}",
        bytes / 1024,
        out.display()
    );
}
