#!/usr/bin/env bash
# Regenerate the git-produced files of the fixture corpus.
#
#   scripts/gen-fixtures.sh            # every case under fixtures/cases/
#   scripts/gen-fixtures.sh CASE...    # only the named cases (folder names)
#
# For every case folder that holds base.md, upstream.md and stashed.md this
# replays the real-world scenario in a throw-away repository:
#
#   commit base.md as article.md -> put stashed.md in place -> git stash
#   -> put upstream.md in place -> commit -> git stash pop
#
# then the same edits as branches, merged:
#
#   commit base.md as article.md on main -> branch topic: stashed.md, commit
#   -> main: upstream.md, commit -> git merge topic
#
# and writes, next to the inputs:
#
#   conflicted.md              article.md after `git stash pop` (default "merge" style)
#   conflicted.diff3.md        the same with `git -c merge.conflictStyle=diff3 stash pop`
#   conflicted.merge.md        article.md after `git merge topic` (labels HEAD / topic)
#   conflicted.merge.diff3.md  the same with `git -c merge.conflictStyle=diff3 merge topic`
#   upstream-side.md           `git merge-file -p --ours   upstream.md base.md stashed.md`
#   stashed-side.md            `git merge-file -p --theirs upstream.md base.md stashed.md`
#
# `git stash pop` and `git merge` must conflict (exit 1 with an unmerged
# article.md); a case that is meant to apply cleanly opts out with an empty
# file `no-conflict`.
# Folders without the three inputs (real-world captures) are skipped.
#
# Checks done for every case (a failure makes the script exit non-zero):
#   * upstream-side.md / stashed-side.md equal "take one side of every
#     conflict" applied to each of the four conflicted files;
#   * the case conflicts (or, with `no-conflict`, applies cleanly) both ways.
# Informational checks (print a WARNING / NOTE only):
#   * `git merge-file` on the three inputs gives the same hunks as
#     `git stash pop`, ignoring marker labels (merge-file simplifies hunks
#     with XDL_MERGE_ZEALOUS_ALNUM, stash pop with XDL_MERGE_ZEALOUS);
#   * conflicted.md and conflicted.diff3.md have the same lines outside the
#     markers (not so when git joins nearby conflicts in the default style);
#   * `git merge` gives the same hunks as `git stash pop`, ignoring labels.
#
# Deterministic and idempotent: the user's git configuration is ignored,
# names and dates are fixed, outputs are only rewritten when they change.

set -euo pipefail
export LC_ALL=C TZ=UTC

ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
CASES_DIR=$ROOT/fixtures/cases

# Labels git uses for `git stash pop` conflicts (ours / base / theirs).
L_OURS='Updated upstream'
L_BASE='Stash base'
L_THEIRS='Stashed changes'

# ---------------------------------------------------------------- isolation
# Drop every GIT_* variable inherited from the caller (GIT_DIR when run from
# a hook, GIT_CONFIG_PARAMETERS from `git -c`, ...), keep only the exec path.
for v in $(compgen -e); do
	case $v in
	GIT_EXEC_PATH) ;;
	GIT_*) unset "$v" ;;
	esac
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/gen-fixtures.XXXXXX")
trap 'rm -rf -- "$WORK"' EXIT
mkdir -p "$WORK/home"

export HOME=$WORK/home
export XDG_CONFIG_HOME=$WORK/home/.config
export GIT_CONFIG_NOSYSTEM=1
export GIT_CONFIG_GLOBAL=$WORK/home/.gitconfig
export GIT_AUTHOR_NAME='Fixture Generator'
export GIT_AUTHOR_EMAIL='fixtures@example.invalid'
export GIT_COMMITTER_NAME='Fixture Generator'
export GIT_COMMITTER_EMAIL='fixtures@example.invalid'
export GIT_AUTHOR_DATE='2025-01-01T00:00:00+0000'
export GIT_COMMITTER_DATE='2025-01-01T00:00:00+0000'
export GIT_TERMINAL_PROMPT=0
export GIT_CEILING_DIRECTORIES=$WORK

# merge-ort (what `git stash pop` uses) diffs with the histogram algorithm;
# make merge-file do the same when this git supports choosing it.
MF_ALGO=()
if git merge-file -h 2>&1 | grep -q -- '--diff-algorithm'; then
	MF_ALGO=(--diff-algorithm=histogram)
fi

# ------------------------------------------------------------------ helpers
# Marker-aware filter over a conflicted file (binary-safe, keeps CRLF).
#   extract ours|theirs FILE  -> outside lines + that side of every conflict
#   extract outside FILE      -> only the lines outside conflicts
#   extract stats FILE        -> "<hunks> <lines outside markers>"
#   extract nolabels FILE     -> the file with marker labels removed
extract() {
	perl -e '
		use strict; use warnings;
		my ($mode, $file) = @ARGV;
		open(my $fh, "<:raw", $file) or die "$file: $!\n";
		binmode STDOUT;
		my ($state, $hunks, $outside) = (0, 0, 0);  # 0 out, 1 ours, 2 base, 3 theirs
		while (my $l = <$fh>) {
			my $marker = "";
			if    ($state == 0 && $l =~ /^<{7}(?: |\r?\n?$)/)                 { $state = 1; $hunks++; $marker = 1 }
			elsif ($state == 1 && $l =~ /^\|{7}(?: |\r?\n?$)/)                { $state = 2; $marker = 1 }
			elsif (($state == 1 || $state == 2) && $l =~ /^={7}\r?\n?$/)       { $state = 3; $marker = 1 }
			elsif ($state == 3 && $l =~ /^>{7}(?: |\r?\n?$)/)                 { $state = 0; $marker = 1 }
			if ($mode eq "nolabels") {
				$l =~ s/^(<{7}|\|{7}|>{7}) [^\r\n]*/$1/ if $marker;
				print $l;
				next;
			}
			next if $marker;
			$outside++ if $state == 0;
			print $l if $state == 0 && $mode ne "stats"
				|| $state == 1 && $mode eq "ours"
				|| $state == 3 && $mode eq "theirs";
		}
		die "$file: unterminated conflict\n" if $state;
		print "$hunks $outside\n" if $mode eq "stats";
	' "$@"
}

# Write stdin to FILE only when the content differs (keeps mtimes stable).
update() {
	local file=$1 tmp
	tmp=$(mktemp "$WORK/out.XXXXXX")
	cat >"$tmp"
	if [[ -f $file ]] && cmp -s -- "$tmp" "$file"; then
		rm -f -- "$tmp"
	else
		mv -f -- "$tmp" "$file"
	fi
}

# Fresh repository with nothing but the settings we want.
# (Callers run inside `if`/`$(...)`, where `set -e` is suspended, hence the
# explicit `|| return 1` everywhere below.)
new_repo() {
	local repo
	repo=$(mktemp -d "$WORK/repo.XXXXXX") || return 1
	git init -q -b main "$repo" || return 1
	git -C "$repo" config core.autocrlf false || return 1
	git -C "$repo" config core.safecrlf false || return 1
	git -C "$repo" config core.eol lf || return 1
	git -C "$repo" config gc.auto 0 || return 1
	printf '%s\n' "$repo"
}

# replay CASE_DIR STYLE OUT
#   STYLE is empty (plain `git stash pop`) or a merge.conflictStyle value.
#   Writes article.md after the pop to OUT and prints "conflict" or "clean";
#   returns 1 on an unexpected failure.
replay() {
	local dir=$1 style=$2 out=$3 repo rc=0 result
	repo=$(new_repo) || return 1
	cp -- "$dir/base.md" "$repo/article.md" || return 1
	git -C "$repo" add article.md || return 1
	git -C "$repo" commit -q -m base || return 1
	cp -- "$dir/stashed.md" "$repo/article.md" || return 1
	git -C "$repo" stash push -q || return 1
	if ! git -C "$repo" rev-parse -q --verify refs/stash >/dev/null; then
		echo "stashed.md is identical to base.md: nothing was stashed" >&2
		return 1
	fi
	cp -- "$dir/upstream.md" "$repo/article.md" || return 1
	git -C "$repo" commit -q --allow-empty -a -m upstream || return 1
	if [[ -n $style ]]; then
		git -C "$repo" -c merge.conflictStyle="$style" stash pop >"$repo.log" 2>&1 || rc=$?
	else
		git -C "$repo" stash pop >"$repo.log" 2>&1 || rc=$?
	fi
	if [[ $rc -eq 1 && -n $(git -C "$repo" ls-files -u -- article.md) ]]; then
		result=conflict
	elif [[ $rc -eq 0 && -z $(git -C "$repo" ls-files -u) ]]; then
		result=clean
	else
		echo "git stash pop exited $rc:" >&2
		sed 's/^/    /' "$repo.log" >&2
		return 1
	fi
	update "$out" <"$repo/article.md" || return 1
	echo "$result"
}

# replay_merge CASE_DIR STYLE OUT
#   The same edits as branches: upstream.md on main, stashed.md on topic,
#   then `git merge topic` on main (STYLE as for replay). Writes article.md
#   to OUT and prints "conflict" or "clean"; returns 1 on an unexpected failure.
replay_merge() {
	local dir=$1 style=$2 out=$3 repo rc=0 result
	repo=$(new_repo) || return 1
	cp -- "$dir/base.md" "$repo/article.md" || return 1
	git -C "$repo" add article.md || return 1
	git -C "$repo" commit -q -m base || return 1
	git -C "$repo" checkout -q -b topic || return 1
	cp -- "$dir/stashed.md" "$repo/article.md" || return 1
	git -C "$repo" commit -q --allow-empty -a -m stashed || return 1
	git -C "$repo" checkout -q main || return 1
	cp -- "$dir/upstream.md" "$repo/article.md" || return 1
	git -C "$repo" commit -q --allow-empty -a -m upstream || return 1
	if [[ -n $style ]]; then
		git -C "$repo" -c merge.conflictStyle="$style" merge --no-edit topic >"$repo.log" 2>&1 || rc=$?
	else
		git -C "$repo" merge --no-edit topic >"$repo.log" 2>&1 || rc=$?
	fi
	if [[ $rc -eq 1 && -n $(git -C "$repo" ls-files -u -- article.md) ]]; then
		result=conflict
	elif [[ $rc -eq 0 && -z $(git -C "$repo" ls-files -u) ]]; then
		result=clean
	else
		echo "git merge exited $rc:" >&2
		sed 's/^/    /' "$repo.log" >&2
		return 1
	fi
	update "$out" <"$repo/article.md" || return 1
	echo "$result"
}

# merge-file in an isolated empty repository (so that no repository config,
# e.g. merge.conflictStyle, leaks in).
MF_REPO=$(new_repo)
merge_file() {
	local rc=0
	git -C "$MF_REPO" merge-file -p "${MF_ALGO[@]}" \
		-L "$L_OURS" -L "$L_BASE" -L "$L_THEIRS" "$@" || rc=$?
	# merge-file exits with the number of conflicts; >127 is a real error.
	[[ $rc -le 127 ]]
}

# -------------------------------------------------------------------- cases
FAILED=()
fail() { # case message...
	local name=$1
	shift
	printf 'FAIL  %s: %s\n' "$name" "$*"
	FAILED+=("$name")
}

gen_case() {
	local dir=$1 name want result result3 stats stats3 f side
	name=$(basename -- "$dir")
	local -a have=()
	for f in base.md upstream.md stashed.md; do
		[[ -f $dir/$f ]] && have+=("$f")
	done
	if [[ ${#have[@]} -eq 0 ]]; then
		printf 'skip  %s (no base/upstream/stashed inputs)\n' "$name"
		return 0
	elif [[ ${#have[@]} -ne 3 ]]; then
		fail "$name" "needs base.md, upstream.md and stashed.md (has only: ${have[*]})"
		return 0
	fi

	want=conflict
	[[ -e $dir/no-conflict ]] && want=clean

	if ! result=$(replay "$dir" "" "$dir/conflicted.md"); then
		fail "$name" "git stash pop failed"
		return 0
	fi
	if ! result3=$(replay "$dir" diff3 "$dir/conflicted.diff3.md"); then
		fail "$name" "git -c merge.conflictStyle=diff3 stash pop failed"
		return 0
	fi
	if [[ $result != "$want" || $result3 != "$want" ]]; then
		if [[ $want == conflict ]]; then
			fail "$name" "git stash pop did NOT conflict (merge: $result, diff3: $result3);" \
				"make the edits overlap, or add an empty 'no-conflict' file to opt out"
		else
			fail "$name" "marked no-conflict but git stash pop conflicted; remove $name/no-conflict"
		fi
		return 0
	fi
	local resultm resultm3
	if ! resultm=$(replay_merge "$dir" "" "$dir/conflicted.merge.md"); then
		fail "$name" "git merge failed"
		return 0
	fi
	if ! resultm3=$(replay_merge "$dir" diff3 "$dir/conflicted.merge.diff3.md"); then
		fail "$name" "git -c merge.conflictStyle=diff3 merge failed"
		return 0
	fi
	if [[ $resultm != "$want" || $resultm3 != "$want" ]]; then
		fail "$name" "git merge gives '$resultm' (diff3: '$resultm3') where git stash pop gives '$want'"
		return 0
	fi

	local a=("$dir/upstream.md" "$dir/base.md" "$dir/stashed.md")
	merge_file --ours "${a[@]}" | update "$dir/upstream-side.md"
	merge_file --theirs "${a[@]}" | update "$dir/stashed-side.md"

	# The side files must be exactly "take that side for every conflict".
	for f in conflicted.md conflicted.diff3.md conflicted.merge.md conflicted.merge.diff3.md; do
		for side in ours:upstream-side.md theirs:stashed-side.md; do
			if ! cmp -s <(extract "${side%%:*}" "$dir/$f") "$dir/${side#*:}"; then
				fail "$name" "${side#*:} is not '${side%%:*} for every conflict' of $f"
				return 0
			fi
		done
	done

	# Informational: does plain merge-file find the same hunks as stash pop?
	local warn=()
	if ! cmp -s <(merge_file "${a[@]}" | extract nolabels /dev/stdin) \
		<(extract nolabels "$dir/conflicted.md"); then
		warn+=("merge style")
	fi
	if ! cmp -s <(merge_file --diff3 "${a[@]}" | extract nolabels /dev/stdin) \
		<(extract nolabels "$dir/conflicted.diff3.md"); then
		warn+=("diff3 style")
	fi

	stats=$(extract stats "$dir/conflicted.md")
	stats3=$(extract stats "$dir/conflicted.diff3.md")
	printf 'ok    %-22s %-8s hunks=%s diff3-hunks=%s outside-lines=%s\n' \
		"$name" "$result" "${stats% *}" "${stats3% *}" "${stats#* }"
	# Informational: in the default style git joins conflicts that are at
	# most 3 lines apart into one hunk (XDL_MERGE_ZEALOUS); diff3 style never
	# does, so the two files may disagree on what lies outside the markers.
	if ! cmp -s <(extract outside "$dir/conflicted.md") <(extract outside "$dir/conflicted.diff3.md"); then
		printf 'NOTE  %s: conflicted.md joins hunks that conflicted.diff3.md keeps apart (lines outside markers differ)\n' "$name"
	fi
	# Informational: a merge of branches conflicts where the stash pop does.
	for f in "" .diff3; do
		if ! cmp -s <(extract nolabels "$dir/conflicted$f.md") \
			<(extract nolabels "$dir/conflicted.merge$f.md"); then
			printf 'NOTE  %s: conflicted.merge%s.md has other hunks than conflicted%s.md\n' "$name" "$f" "$f"
		fi
	done
	if [[ ${#warn[@]} -gt 0 ]]; then
		printf 'WARNING %s: git merge-file output differs from git stash pop beyond labels (%s)\n' \
			"$name" "$(
				IFS=,
				echo "${warn[*]}"
			)"
	fi
}

dirs=()
if [[ $# -eq 0 ]]; then
	for d in "$CASES_DIR"/*/; do
		[[ -d $d ]] && dirs+=("${d%/}")
	done
else
	for arg in "$@"; do
		arg=${arg%/}
		arg=${arg##*/}
		if [[ ! -d $CASES_DIR/$arg ]]; then
			echo "gen-fixtures: no such case: $arg (looked in $CASES_DIR)" >&2
			exit 2
		fi
		dirs+=("$CASES_DIR/$arg")
	done
fi
if [[ ${#dirs[@]} -eq 0 ]]; then
	echo "gen-fixtures: no cases found in $CASES_DIR" >&2
	exit 2
fi

for d in "${dirs[@]}"; do
	gen_case "$d"
done

if [[ ${#FAILED[@]} -gt 0 ]]; then
	printf '\ngen-fixtures: %d case(s) failed: %s\n' "${#FAILED[@]}" "${FAILED[*]}" >&2
	exit 1
fi
