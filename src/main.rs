//! The `git-frontmerge` binary: everything lives in the library.

fn main() {
    std::process::exit(frontmerge::cli::main());
}
