#!/usr/bin/env bash
# Records the corpus's traces again: corpus/NAME.jsonl.gz for every NAME (or the NAMEs given),
# each with `vmars-trace record` (the trace CLI, apps/trace), then rewrites corpus/README.md's
# statistics table and each trace's command, program and date lines. Installs nothing: it
# checks first what every chosen trace needs and, if anything is missing, says what and stops
# before recording anything.
#
# Usage: corpus/record-corpus.sh [NAME...]      (corpus/record-corpus.sh --list for the names)
#        corpus/record-corpus.sh --table          only rewrites the README from the files
#        PNPM='npx pnpm@10.34.8' corpus/record-corpus.sh ...   where pnpm is not installed
#        TRACE_CLI=apps/trace/dist/cli.js corpus/record-corpus.sh ...   a CLI built already
#
# Every load stays on this machine (loopback or local files) and is bounded; the one server
# (PostgreSQL) listens on 127.0.0.1 only, and is stopped whether the recording succeeds or not.
# npm-install and node-gyp-leveldown fetch packages from the npm registry (its ordinary client),
# hello-configure-make the source of Debian's hello package (apt-get source).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CORPUS=$ROOT/corpus
ALL=(chromium-dump-dom postgres-pgbench-connect node-gyp-leveldown hello-configure-make
  go-build-gofmt javac npm-install xz-t2 sort-parallel git-clone python-pool)

# Versions of what is fetched, pinned so that a new recording does the same work.
LEVELDOWN_VERSION=6.1.1
HELLO_VERSION=2.10-3
NPM_INSTALL_PACKAGES=(express@4.21.2 typescript@5.9.3 esbuild@0.25.0)
PG_PORT=${PG_PORT:-54329}
PYTHON=${PYTHON:-/usr/bin/python3}

say() { printf 'record-corpus: %s\n' "$*" >&2; }
die() {
  say "$*"
  exit 1
}

if [[ ${1-} == --list ]]; then
  printf '%s\n' "${ALL[@]}"
  exit 0
fi
if [[ ${1-} == -h || ${1-} == --help ]]; then
  sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit 0
fi
TABLE_ONLY=
if [[ ${1-} == --table ]]; then
  TABLE_ONLY=1
  shift
  [[ $# == 0 ]] || die "--table takes no trace names"
fi
SELECTED=("$@")
[[ -n $TABLE_ONLY || ${#SELECTED[@]} -gt 0 ]] || SELECTED=("${ALL[@]}")
for name in "${SELECTED[@]}"; do
  [[ " ${ALL[*]} " == *" $name "* ]] || die "no trace named \"$name\" (corpus/record-corpus.sh --list)"
done

# --- What each trace needs -------------------------------------------------------------------

MISSING=()
need() { # need COMMAND WHAT-TO-INSTALL
  command -v "$1" >/dev/null 2>&1 || MISSING+=("$1 (${2})")
}

pg_bin() {
  if [[ -n ${PG_BIN-} ]]; then
    printf '%s\n' "$PG_BIN"
  elif command -v pg_config >/dev/null 2>&1; then
    pg_config --bindir
  elif command -v postgres >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v postgres)")"
  else
    # Debian keeps the server's programs off PATH.
    find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -1
  fi
}

node_gyp() { # npm's own copy of node-gyp
  local npm_cli
  npm_cli=$(readlink -f "$(command -v npm)")
  readlink -f "$(dirname "$npm_cli")/../node_modules/node-gyp/bin/node-gyp.js"
}

needs() {
  case $1 in
  chromium-dump-dom) need chromium 'Debian: apt-get install chromium' ;;
  postgres-pgbench-connect)
    local bin
    bin=$(pg_bin)
    for program in postgres initdb pg_ctl pg_isready pgbench; do
      [[ -n $bin && -x $bin/$program ]] ||
        MISSING+=("PostgreSQL's $program (Debian: apt-get install postgresql; or set PG_BIN to its bin directory)")
    done
    if [[ $(id -u) == 0 ]]; then
      # PostgreSQL refuses to run as root: as root, the server runs as the user postgres.
      id postgres >/dev/null 2>&1 || MISSING+=("a user named postgres (the Debian package creates it)")
      need setpriv 'util-linux'
    fi
    ;;
  node-gyp-leveldown)
    need npm 'Node.js with npm'
    need make 'Debian: apt-get install make'
    need g++ 'Debian: apt-get install g++'
    need python3 'node-gyp runs gyp with it'
    if command -v npm >/dev/null 2>&1 && [[ ! -f $(node_gyp) ]]; then
      MISSING+=("npm's bundled node-gyp (expected at $(node_gyp))")
    fi
    ;;
  hello-configure-make)
    need dpkg-source 'Debian: apt-get install dpkg-dev'
    need gcc 'Debian: apt-get install gcc'
    need make 'Debian: apt-get install make'
    if command -v apt-get >/dev/null 2>&1; then
      apt-get source --print-uris -qq "hello=$HELLO_VERSION" >/dev/null 2>&1 ||
        MISSING+=("the source of Debian's hello $HELLO_VERSION: apt-get source needs a deb-src line for bookworm (e.g. /etc/apt/sources.list.d/debian-src.sources with 'Types: deb-src'), then apt-get update")
    else
      MISSING+=("apt-get, to fetch the source of Debian's hello $HELLO_VERSION")
    fi
    ;;
  go-build-gofmt) need go 'Debian: apt-get install golang-go' ;;
  javac) need javac 'a JDK; Debian: apt-get install default-jdk-headless' ;;
  npm-install) need npm 'Node.js with npm' ;;
  xz-t2) need xz 'Debian: apt-get install xz-utils' ;;
  sort-parallel) need sort 'GNU coreutils' ;;
  git-clone) need git 'Debian: apt-get install git' ;;
  python-pool) [[ -x $PYTHON ]] || MISSING+=("$PYTHON (Debian: apt-get install python3; or set PYTHON)") ;;
  esac
}

[[ -n $TABLE_ONLY ]] || need strace 'Debian: apt-get install strace'
need node 'Node.js 20.19 or later'
for name in "${SELECTED[@]}"; do needs "$name"; done
# PNPM='npx pnpm@10.34.8' works too, where pnpm is not installed.
read -r -a PNPM <<<"${PNPM:-pnpm}"
if [[ -z ${TRACE_CLI-} ]] && ! command -v "${PNPM[0]}" >/dev/null 2>&1; then
  MISSING+=("pnpm 10, to build the trace CLI (npm i -g pnpm@10.34.8; or run with PNPM='npx pnpm@10.34.8')")
fi
if [[ ${#MISSING[@]} -gt 0 ]]; then
  say "missing, nothing recorded:"
  printf '  %s\n' "${MISSING[@]}" >&2
  exit 1
fi

# --- The CLI, built once ---------------------------------------------------------------------

if [[ -n ${TRACE_CLI-} ]]; then
  CLI=$(realpath "$TRACE_CLI")
else
  say "building the trace CLI (pnpm trace)"
  (cd "$ROOT" && "${PNPM[@]}" trace help >/dev/null)
  CLI=$ROOT/apps/trace/dist/cli.js
fi
trace() { node "$CLI" "$@"; }

# --- A scratch directory, removed at the end; the server stopped whatever happens -------------

WORK=$(mktemp -d "${TMPDIR:-/tmp}/vmars-corpus.XXXXXX")
# The server, running as postgres when we are root, must be able to reach its data directory.
chmod 755 "$WORK"
RECORD_PID=
PG_DATA=
cleanup() {
  if [[ -n $RECORD_PID ]] && kill -0 "$RECORD_PID" 2>/dev/null; then
    say "stopping the PostgreSQL server left running"
    as_pg_owner "$(pg_bin)/pg_ctl" -D "$PG_DATA" stop -m immediate -w >/dev/null 2>&1 || true
    wait "$RECORD_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

as_pg_owner() {
  if [[ $(id -u) == 0 ]]; then
    setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"
  else
    "$@"
  fi
}

# Runs `trace record` in $WORK/NAME with the command's output in $WORK/NAME.log (shown if it
# fails). The trace goes to $WORK/NAME.jsonl.gz: only a whole run replaces the corpus's file.
record() { # record NAME PROGRAM-VERSION [--note K=V ...] -- COMMAND...
  local name=$1 program=$2
  shift 2
  say "$name: recording ($program)"
  if ! trace record --out "$WORK/$name.jsonl.gz" --note "program=$program" "$@" \
    >"$WORK/$name.log" 2>&1; then
    tail -20 "$WORK/$name.log" >&2
    die "$name: the recording failed (its output is above)"
  fi
  grep '^vmars-trace: ' "$WORK/$name.log" >&2 || true
}

first_line() { "$@" 2>/dev/null | head -1; }

# --- The traces ------------------------------------------------------------------------------

# A browser loading a page: the browser process, its zygotes, renderer, GPU and network service
# processes, each with its thread pools.
record_chromium-dump-dom() {
  cat >page.html <<'EOF'
<!doctype html>
<html><head><title>corpus page</title><style>body { font-family: sans-serif }</style></head>
<body><h1>A local page</h1><p id="status">static text</p><canvas id="canvas" width="200" height="100"></canvas>
<script>
  document.getElementById('canvas').getContext('2d').fillRect(10, 10, 50, 50);
  const items = [];
  for (let index = 0; index < 200; index += 1) items.push(`<li>item ${index}</li>`);
  document.body.insertAdjacentHTML('beforeend', `<ul>${items.join('')}</ul>`);
  document.getElementById('status').textContent = 'script ran';
</script></body></html>
EOF
  record chromium-dump-dom "$(first_line chromium --version)" -- \
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir=chromium-profile --dump-dom page.html
  grep -q 'script ran' "$WORK/chromium-dump-dom.log" || die "chromium-dump-dom: the page's script did not run"
}

# A server under its own benchmark's load: a postmaster forking one backend per connection
# (pgbench -C connects anew for every transaction), beside its long-lived auxiliary processes.
record_postgres-pgbench-connect() {
  local bin
  bin=$(pg_bin)
  PG_DATA=$WORK/postgres-pgbench-connect/pgdata
  mkdir -p "$PG_DATA"
  [[ $(id -u) != 0 ]] || chown postgres: "$PG_DATA"
  as_pg_owner "$bin/initdb" -D "$PG_DATA" -A trust -U postgres --no-sync >initdb.log 2>&1 ||
    die "postgres-pgbench-connect: initdb failed: $(tail -5 initdb.log)"
  if "$bin/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then
    die "postgres-pgbench-connect: something already listens on 127.0.0.1:$PG_PORT (set PG_PORT)"
  fi
  local load="pgbench -i -s 1, then pgbench -C -S -c 2 -j 2 -t 600 (1,200 connections), on 127.0.0.1"
  # TCP on 127.0.0.1 only, no Unix socket: nothing outside this machine can reach it.
  record postgres-pgbench-connect "$("$bin/postgres" --version)" --note "load=$load" -- \
    "${PG_AS_OWNER[@]}" "$bin/postgres" -D pgdata -p "$PG_PORT" \
    -c listen_addresses=127.0.0.1 -c unix_socket_directories= &
  RECORD_PID=$!
  local tries=0
  until "$bin/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; do
    kill -0 "$RECORD_PID" 2>/dev/null || die "postgres-pgbench-connect: the server did not start"
    tries=$((tries + 1))
    ((tries < 150)) || die "postgres-pgbench-connect: the server did not answer within 30 s"
    sleep 0.2
  done
  local pgbench=("$bin/pgbench" -h 127.0.0.1 -p "$PG_PORT" -U postgres)
  "${pgbench[@]}" -i -s 1 -q postgres >pgbench.log 2>&1 &&
    "${pgbench[@]}" -C -S -c 2 -j 2 -t 600 postgres >>pgbench.log 2>&1 ||
    die "postgres-pgbench-connect: pgbench failed: $(tail -3 pgbench.log)"
  grep -E '^(number of transactions actually processed|tps)' pgbench.log >&2 || true
  as_pg_owner "$bin/pg_ctl" -D "$PG_DATA" stop -m fast -w >/dev/null
  wait "$RECORD_PID" || die "postgres-pgbench-connect: the recording failed"
  RECORD_PID=
}

# A parallel C++ build: node-gyp (npm's own) configuring with gyp, then make -j2 running g++ on
# leveldown's LevelDB and Snappy sources.
record_node-gyp-leveldown() {
  npm pack --silent "leveldown@$LEVELDOWN_VERSION" >/dev/null
  tar xzf "leveldown-$LEVELDOWN_VERSION.tgz"
  cd package
  # Its runtime dependencies only (binding.gyp includes napi-macros' headers); no scripts run.
  npm install --silent --omit=dev --ignore-scripts --no-audit --no-fund >/dev/null
  local nodedir=()
  # Node's headers where a distribution installed them; else node-gyp downloads them itself.
  [[ ! -f /usr/include/node/node_api.h ]] || nodedir=(--nodedir=/usr)
  local gyp_version
  gyp_version=$(node -p "require('$(dirname "$(node_gyp)")/../package.json').version")
  record node-gyp-leveldown \
    "node-gyp $gyp_version building leveldown $LEVELDOWN_VERSION ($(first_line make --version), $(first_line g++ --version))" \
    -- node "$(node_gyp)" rebuild -j 2 "${nodedir[@]}"
}

# A GNU source package built the classic way: configure (a shell script trying the compiler
# and the system a few hundred times, one short process after another), then make -j2.
record_hello-configure-make() {
  apt-get source -qq "hello=$HELLO_VERSION" >apt-source.log 2>&1 ||
    die "hello-configure-make: apt-get source failed: $(tail -3 apt-source.log)"
  cd "hello-${HELLO_VERSION%-*}"
  record hello-configure-make \
    "GNU hello ${HELLO_VERSION%-*} (Debian source $HELLO_VERSION), $(first_line make --version), $(first_line gcc --version)" \
    -- sh -c './configure --quiet && make -j2 --quiet'
}

# The Go toolchain rebuilding everything gofmt needs (-a: the runtime and standard library
# packages too), two packages at a time: go's own threads, and a compile (or asm, link) process
# with threads of its own per package.
record_go-build-gofmt() {
  export GOCACHE=$WORK/go-build-gofmt/cache GOPATH=$WORK/go-build-gofmt/gopath GOFLAGS= GOTOOLCHAIN=local
  record go-build-gofmt "$(go version)" -- go build -a -p 2 -o gofmt cmd/gofmt
}

# A JVM: javac compiling 24 small classes (records, generics, streams): one process, and the
# JVM's threads (GC workers, JIT compilers, the reference handler...).
record_javac() {
  mkdir -p src/corpus classes
  local index
  for index in $(seq 1 24); do
    cat >"src/corpus/Shape$index.java" <<EOF
package corpus;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

public final class Shape$index implements Comparable<Shape$index> {
  private final double side;

  public Shape$index(double side) { this.side = side; }

  public double area() { return side * side * $index; }

  @Override public int compareTo(Shape$index other) { return Double.compare(area(), other.area()); }

  public static List<Shape$index> many(int count) {
    return IntStream.range(0, count).mapToObj(Shape$index::new).sorted().collect(Collectors.toList());
  }

  public record Named(String name, Shape$index shape) {}

  public static Map<String, Double> byName(List<Named> shapes) {
    return shapes.stream().collect(Collectors.toMap(Named::name, named -> named.shape().area(), Double::sum, TreeMap::new));
  }
}
EOF
  done
  find src -name '*.java' | sort >sources.txt
  record javac "$(javac -version 2>&1) on $(java -version 2>&1 | sed -n 2p)" -- javac -d classes @sources.txt
}

# A package manager: npm installing three packages (about 70 with their dependencies) from the
# registry into an empty project, with an empty cache.
record_npm-install() {
  printf '{ "name": "corpus-npm-install", "version": "1.0.0", "private": true }\n' >package.json
  record npm-install "npm $(npm --version) on Node.js $(node --version)" -- \
    npm install --no-audit --no-fund --cache npm-cache "${NPM_INSTALL_PACKAGES[@]}"
}

# A parallel compressor: xz with two worker threads on 37 MiB of text (two 24 MiB blocks).
record_xz-t2() {
  seq 1 5000000 >numbers.txt
  record xz-t2 "$(first_line xz --version)" -- xz -T2 -6 -k numbers.txt
}

# GNU sort with two threads: a sorting thread started (and ended) for every 16 MiB buffer of
# input, one after another, then the merge of the sorted runs from temporary files.
record_sort-parallel() {
  seq 6000000 -1 1 >numbers.txt
  record sort-parallel "$(first_line sort --version)" -- \
    sort --parallel=2 -S 16M -n -T . -o sorted.txt numbers.txt
}

# git cloning this repository without hard links: git, upload-pack, pack-objects (with threads)
# and index-pack (with threads), talking through pipes.
record_git-clone() {
  record git-clone "$(git --version)" -- git -c pack.threads=2 clone -q --no-local "$ROOT" vmars-clone
}

# Python's multiprocessing: a pool of two worker processes, each replaced after four chunks of
# work (maxtasksperchild), beside the pool's three handler threads.
record_python-pool() {
  cat >pool.py <<'EOF'
import hashlib
import multiprocessing


def work(number):
    digest = hashlib.sha256()
    for index in range(20000):
        digest.update(str(number * index).encode())
    return digest.hexdigest()


if __name__ == '__main__':
    with multiprocessing.Pool(2, maxtasksperchild=4) as pool:
        print(len(pool.map(work, range(400), chunksize=4)))
EOF
  record python-pool "$("$PYTHON" --version)" -- "$PYTHON" pool.py
}

PG_AS_OWNER=()
[[ $(id -u) != 0 ]] || PG_AS_OWNER=(setpriv --reuid=postgres --regid=postgres --init-groups --)

# Not in subshells: the EXIT trap must see RECORD_PID to stop a server left running.
for name in "${SELECTED[@]}"; do
  mkdir -p "$WORK/$name"
  cd "$WORK/$name"
  "record_$name"
  mv "$WORK/$name.jsonl.gz" "$CORPUS/$name.jsonl.gz"
done
cd "$ROOT"

# --- The README's table ----------------------------------------------------------------------

README=$CORPUS/README.md
BEGIN='<!-- corpus-stats:begin -->'
END='<!-- corpus-stats:end -->'
if grep -qF "$BEGIN" "$README" && grep -qF "$END" "$README"; then
  TABLE=$WORK/table.md
  (cd "$ROOT" && trace stats --markdown corpus/*.jsonl.gz) >"$TABLE"
  awk -v begin="$BEGIN" -v end="$END" -v table="$TABLE" '
    $0 == begin { print; while ((getline line < table) > 0) print line; skipping = 1; next }
    $0 == end { skipping = 0 }
    !skipping { print }
  ' "$README" >"$WORK/README.md"
  cp "$WORK/README.md" "$README"
  # Each trace's section quotes its header: its command, program, date (and load) lines follow.
  node - "$README" "$CORPUS" <<'EOF'
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { gunzipSync } = require('node:zlib');
const [readme, corpus] = process.argv.slice(2);
const fields = [
  ['- command: ', (header) => `\`${header.command}\``],
  ['- program: ', (header) => header.notes?.program],
  ['- recorded: ', (header) => header.date],
  ['- load (`notes.load`): ', (header) => header.notes?.load],
];
let header = null;
const lines = readFileSync(readme, 'utf8').split('\n').map((line) => {
  if (line.startsWith('#')) {
    const name = /^### (\S+)$/.exec(line)?.[1];
    const file = name === undefined ? undefined : `${corpus}/${name}.jsonl.gz`;
    header =
      file !== undefined && existsSync(file)
        ? JSON.parse(gunzipSync(readFileSync(file)).toString('utf8').split('\n', 1)[0])
        : null;
    return line;
  }
  if (header === null) return line;
  for (const [prefix, value] of fields) {
    if (line.startsWith(prefix) && value(header) !== undefined) return prefix + value(header);
  }
  return line;
});
writeFileSync(readme, lines.join('\n'));
EOF
  say "corpus/README.md: the table, and each trace's command, program and date, rewritten from the files; check that each section's why still holds"
else
  say "corpus/README.md has no $BEGIN ... $END markers: its table was left alone"
fi
