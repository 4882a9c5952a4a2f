#!/usr/bin/env bash
# Tests for the ./kefu launcher: JDK detection, rebuild decision, argument
# passing, help and errors. Runs the launcher under dash (and bash, if present)
# against a throw-away copy of the script with fake JDKs and a fake mvn, so it
# needs neither a JDK nor Maven nor network. Exits non-zero on any failure.
#
#   bash .ci/launcher-test.sh        (from anywhere)
set -euo pipefail

HERE=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd -- "$HERE/.." && pwd)
LAUNCHER="$ROOT/kefu"

pass=0
fail=0
ok() { pass=$((pass + 1)); printf 'ok   - %s\n' "$1"; }
not_ok() {
    fail=$((fail + 1))
    printf 'FAIL - %s\n' "$1"
    shift
    local line
    for line in "$@"; do printf '       %s\n' "$line"; done
    printf '       exit status: %s\n' "$RC"
    sed 's/^/       stdout| /' "$OUT"
    sed 's/^/       stderr| /' "$ERR"
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/kefu-launcher-test.XXXXXX")
WORK=$(cd -P -- "$WORK" && pwd)
trap 'rm -rf -- "$WORK"' EXIT
T="$WORK/dir with space"
mkdir -p "$T"
OUT="$T/stdout"
ERR="$T/stderr"
RC=0

# --- a PATH with the usual tools but without java, javac and mvn ---
TOOLS="$T/tools"
mkdir -p "$TOOLS"
for d in /usr/local/sbin /usr/local/bin /usr/sbin /usr/bin /sbin /bin; do
    [ -d "$d" ] || continue
    for f in "$d"/*; do
        b=${f##*/}
        case $b in java | javac | mvn | mvnw | jshell) continue ;; esac
        [ -e "$TOOLS/$b" ] || [ ! -x "$f" ] || ln -s "$f" "$TOOLS/$b"
    done
done

# --- fake JDKs ---
# make_jdk DIR VERSION_LINE [nojavac]
make_jdk() {
    mkdir -p "$1/bin"
    cat >"$1/bin/java" <<EOF
#!/bin/sh
if [ "\${1-}" = -version ]; then
    echo 'Picked up JAVA_TOOL_OPTIONS: -Dfile.encoding=UTF-8' >&2
    echo '$2' >&2
    echo 'OpenJDK Runtime Environment (build fake)' >&2
    exit 0
fi
echo "FAKEJAVA pid=\$\$ home=$1 cwd=\$(pwd)"
for a in "\$@"; do printf 'ARG[%s]\n' "\$a"; done
echo "KEFU_ADMIN_TOKEN=\${KEFU_ADMIN_TOKEN-}"
EOF
    chmod +x "$1/bin/java"
    if [ "${3-}" != nojavac ]; then
        printf '#!/bin/sh\nexit 0\n' >"$1/bin/javac"
        chmod +x "$1/bin/javac"
    fi
}
J="$T/jdks"
make_jdk "$J/jdk-17" 'openjdk version "17.0.15" 2025-04-15'
make_jdk "$J/jdk-21" 'openjdk version "21.0.2" 2024-01-16'
make_jdk "$J/jdk-25" 'openjdk version "25" 2025-09-16'
make_jdk "$J/jdk-26ea" 'openjdk version "26-ea" 2026-03-17'
make_jdk "$J/jre-25" 'openjdk version "25.0.1" 2025-10-21' nojavac
make_jdk "$J/java-8" 'java version "1.8.0_381"'
mkdir -p "$J/broken/bin"
printf '#!/bin/sh\necho garbage >&2\n' >"$J/broken/bin/java"
chmod +x "$J/broken/bin/java"

# JVM directories to scan (the launcher's KEFU_JVM_DIRS)
EMPTY="$T/empty jvm dir"
mkdir -p "$EMPTY"
MIXED="$T/jvm mixed"          # 17, 21, 25, a JRE 25, java 8, a broken one, a src-only dir
mkdir -p "$MIXED/openjdk-17-src"
for j in jdk-17 jdk-21 jdk-25 jre-25 java-8 broken; do ln -s "$J/$j" "$MIXED/$j"; done
OLDONLY="$T/jvm old"          # nothing new enough
mkdir -p "$OLDONLY"
ln -s "$J/jdk-17" "$OLDONLY/jdk-17"
ln -s "$J/java-8" "$OLDONLY/java-8"
ln -s "$J/jre-25" "$OLDONLY/jre-25"
SECOND="$T/jvm second"
mkdir -p "$SECOND"
ln -s "$J/jdk-26ea" "$SECOND/jdk-26ea"

# PATH directories offering a `java` (symlinks, as with update-alternatives)
pathjava() { mkdir -p "$T/path-$1"; ln -sf "$J/$1/bin/java" "$T/path-$1/java"; printf '%s' "$T/path-$1"; }
P17=$(pathjava jdk-17)
P21=$(pathjava jdk-21)
PJRE=$(pathjava jre-25)

# --- fake mvn ---
MVNBIN="$T/mvn bin"
mkdir -p "$MVNBIN"
MVNLOG="$T/mvn.log"
cat >"$MVNBIN/mvn" <<'EOF'
#!/bin/sh
{ echo "mvn $*"; echo "cwd=$(pwd)"; echo "JAVA_HOME=${JAVA_HOME-}"; echo "MAVEN_OPTS=${MAVEN_OPTS-}"; } >>"$FAKE_MVN_LOG"
echo "fake mvn output on stdout"
if [ -n "${FAKE_MVN_FAIL-}" ]; then
    echo "[ERROR] COMPILATION ERROR: boom"
    exit 1
fi
case " $* " in
    *" install "*)
        if [ -z "${FAKE_MVN_NOJAR-}" ]; then
            mkdir -p kefu-server/target kefu-bench/target
            # like maven-jar-plugin: an existing, unchanged jar is left alone
            [ -f kefu-server/target/kefu-server.jar ] || echo jar >kefu-server/target/kefu-server.jar
            [ -f kefu-bench/target/kefu-bench.jar ] || echo jar >kefu-bench/target/kefu-bench.jar
        fi
        ;;
esac
exit "${FAKE_MVN_EXIT:-0}"
EOF
chmod +x "$MVNBIN/mvn"

# --- a fake checkout with the launcher in it ---
REPO="$T/repo"
OLD=202001010000   # touch -t stamps
MID=202101010000
NEW=202201010000
make_repo() {
    rm -rf -- "$REPO"
    mkdir -p "$REPO"
    cp -p -- "$LAUNCHER" "$REPO/kefu"
    cat >"$REPO/pom.xml" <<'EOF'
<project>
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.kefu</groupId>
  <artifactId>kefu-parent</artifactId>
  <version>9.8.7-TEST</version>
  <dependencies><dependency><artifactId>x</artifactId><version>1.0</version></dependency></dependencies>
</project>
EOF
    local m
    for m in kefu-protocol kefu-store kefu-server; do
        mkdir -p "$REPO/$m/src/main/java/kefu" "$REPO/$m/src/test/java/kefu"
        echo "<project/>" >"$REPO/$m/pom.xml"
        echo "class A {}" >"$REPO/$m/src/main/java/kefu/A.java"
        echo "class ATest {}" >"$REPO/$m/src/test/java/kefu/ATest.java"
    done
    mkdir -p "$REPO/kefu-bench"   # no src/ yet, like the real one at first
    echo "<project/>" >"$REPO/kefu-bench/pom.xml"
    echo "notes" >"$REPO/README.md"
    find "$REPO" -exec touch -h -t "$OLD" {} +
    : >"$MVNLOG"
}
# make the jars up to date (as if built at MID)
fresh_jars() {
    mkdir -p "$REPO/kefu-server/target/lib" "$REPO/kefu-bench/target/lib"
    echo jar >"$REPO/kefu-server/target/kefu-server.jar"
    echo jar >"$REPO/kefu-bench/target/kefu-bench.jar"
    touch -t "$MID" "$REPO/kefu-server/target/kefu-server.jar" "$REPO/kefu-bench/target/kefu-bench.jar"
    : >"$MVNLOG"
}

# run [VAR=value ...] -- ARGS...   runs the launcher copy under $SUT_SH with a clean
# environment: no JAVA_HOME, no java on PATH, no mvn, no JVM dirs (unless given).
SUT_SH=dash
CWD="$T"
run() {
    local envs=()
    while [ "$1" != -- ]; do envs+=("$1"); shift; done
    shift
    set +e
    (cd -- "$CWD" && env -i HOME="$T" TMPDIR="$T" "PATH=$TOOLS" "KEFU_JVM_DIRS=$EMPTY" \
        "FAKE_MVN_LOG=$MVNLOG" "${envs[@]}" "$SUT_SH" "$REPO/kefu" "$@") >"$OUT" 2>"$ERR" </dev/null
    RC=$?
    set -e
}

# expectations on the last run: each returns non-zero and explains on mismatch
E=()
rc_is() { [ "$RC" = "$1" ] || E+=("expected exit status $1"); }
out_has() { grep -qF -- "$1" "$OUT" || E+=("stdout lacks: $1"); }
out_lacks() { ! grep -qF -- "$1" "$OUT" || E+=("stdout has: $1"); }
err_has() { grep -qF -- "$1" "$ERR" || E+=("stderr lacks: $1"); }
err_lacks() { ! grep -qF -- "$1" "$ERR" || E+=("stderr has: $1"); }
line1_is() { [ "$(head -n 1 "$OUT")" = "$1" ] || E+=("first stdout line is not: $1"); }
built() { grep -qF -- "mvn -B -q -DskipTests install" "$MVNLOG" || E+=("mvn install was not run"); }
not_built() { ! grep -q . "$MVNLOG" || E+=("mvn was run: $(head -n 1 "$MVNLOG")"); }
check() {
    if [ ${#E[@]} -eq 0 ]; then ok "$1"; else not_ok "$1" "${E[@]}"; fi
    E=()
}

suite() {
    echo "# launcher under: $SUT_SH"
    make_repo
    CWD="$T"

    # ---------- help, version, unknown commands (no JDK, no build needed) ----------
    for a in --help -h help ""; do
        if [ -n "$a" ]; then run -- "$a"; else run --; fi
        rc_is 0
        for s in "serve" "test" "bench" "--bind ADDR" "127.0.0.1" "--port N" "8080" "--data DIR" \
            "./kefu-data" "--config FILE" "kefu.yaml" "JAVA_OPTS" "KEFU_ADMIN_TOKEN"; do
            out_has "$s"
        done
        not_built
        check "help via '${a:-no arguments}' works without a JDK and without building"
    done

    run -- --version
    rc_is 0; out_has "kefu 9.8.7-TEST"; not_built
    check "--version prints the version from pom.xml"

    for a in frobnicate --bogus -x serv; do
        run -- "$a"
        rc_is 2; err_has "kefu: unknown command '$a'"; err_has "./kefu --help"; not_built
        check "unknown command/option '$a' exits 2 with a hint"
    done

    # ---------- JDK detection ----------
    run "JAVA_HOME=$J/jdk-21" "PATH=$P17:$TOOLS" "KEFU_JVM_DIRS=$MIXED" -- jdk
    rc_is 0; line1_is "$J/jdk-21"; out_has "21"; err_lacks "ignoring"
    check "a JAVA_HOME >= 21 wins over PATH and the JVM dirs"

    run "JAVA_HOME=$J/jdk-21/" -- jdk
    rc_is 0; line1_is "$J/jdk-21"; err_lacks "ignoring"
    check "JAVA_HOME with a trailing slash"

    run "JAVA_HOME=$J/jdk-26ea" -- jdk
    rc_is 0; line1_is "$J/jdk-26ea"; out_has "26"
    check "JAVA_HOME with an early-access version string (\"26-ea\")"

    run "JAVA_HOME=$J/jdk-17" "PATH=$P21:$TOOLS" "KEFU_JVM_DIRS=$MIXED" -- jdk
    rc_is 0; line1_is "$J/jdk-21"; err_has "ignoring JAVA_HOME=$J/jdk-17"
    check "JAVA_HOME 17 is skipped (with a note); java on PATH resolved through its symlink to its home"

    run "JAVA_HOME=$J/jre-25" "KEFU_JVM_DIRS=$MIXED" -- jdk
    rc_is 0; line1_is "$J/jdk-25"
    check "JAVA_HOME without javac (a JRE) is skipped"

    run "JAVA_HOME=$T/does-not-exist" "KEFU_JVM_DIRS=$MIXED" -- jdk
    rc_is 0; line1_is "$J/jdk-25"
    check "a nonexistent JAVA_HOME is skipped"

    run "JAVA_HOME=" "KEFU_JVM_DIRS=$MIXED" -- jdk
    rc_is 0; line1_is "$J/jdk-25"; err_lacks "ignoring"
    check "an empty JAVA_HOME counts as unset"

    run "PATH=$PJRE:$TOOLS" "KEFU_JVM_DIRS=$MIXED" -- jdk
    rc_is 0; line1_is "$J/jdk-25"
    check "java 25 on PATH without javac beside it is skipped"

    run "PATH=$P17:$TOOLS" "KEFU_JVM_DIRS=$MIXED" -- jdk
    rc_is 0; line1_is "$J/jdk-25"; out_has "25"
    check "java 17 on PATH: the highest JDK >= 21 in the JVM dirs is picked (not 17, 8, a JRE or a broken one)"

    run "KEFU_JVM_DIRS=$MIXED:$SECOND" -- jdk
    rc_is 0; line1_is "$J/jdk-26ea"
    check "several colon-separated JVM dirs: the highest across all of them"

    run "JAVA_HOME=$J/jdk-17" "PATH=$P17:$TOOLS" "KEFU_JVM_DIRS=$OLDONLY" -- jdk
    rc_is 2
    err_has "kefu needs a JDK 21 or newer; found: "
    err_has "$J/jdk-17 (java 17)"; err_has "java 8"; err_has "no javac"
    err_has "install one (e.g. apt-get install openjdk-21-jdk or Temurin) or set JAVA_HOME"
    out_lacks "$J"
    check "only JDK 17, java 8 and a JRE 25: clear message listing them, exit 2"

    run "KEFU_JVM_DIRS=$EMPTY" -- jdk
    rc_is 2; err_has "kefu needs a JDK 21 or newer; found: "; err_has "or set JAVA_HOME"
    check "no java anywhere: clear message, exit 2"

    run "JAVA_HOME=$J/broken" -- jdk
    rc_is 2; err_has "kefu needs a JDK 21 or newer"; err_has "unreadable java -version"
    check "a java whose -version cannot be parsed is reported, exit 2"

    fresh_jars
    run "KEFU_JVM_DIRS=$OLDONLY" "PATH=$TOOLS:$MVNBIN" -- serve
    rc_is 2; err_has "kefu needs a JDK 21 or newer"; not_built; out_lacks "FAKEJAVA"
    check "serve without a JDK fails before building or running anything"

    run "KEFU_JVM_DIRS=$OLDONLY" "PATH=$TOOLS:$MVNBIN" -- test
    rc_is 2; err_has "kefu needs a JDK 21 or newer"; not_built
    check "test without a JDK fails before running mvn"

    # ---------- rebuild decision ----------
    make_repo
    run "JAVA_HOME=$J/jdk-21" "PATH=$TOOLS:$MVNBIN" -- serve --port 9
    rc_is 0; built; err_has "building kefu"; err_has "kefu-server.jar is missing"
    grep -qxF "cwd=$REPO" "$MVNLOG" || E+=("mvn did not run in the repo root")
    grep -qxF "JAVA_HOME=$J/jdk-21" "$MVNLOG" || E+=("mvn did not get JAVA_HOME")
    err_has "fake mvn output on stdout"; out_lacks "fake mvn output"
    out_has "FAKEJAVA"; out_has "home=$J/jdk-21"
    check "missing jar: builds with mvn -B -q -DskipTests install (root, JAVA_HOME, output on stderr), then runs"

    : >"$MVNLOG"
    run "JAVA_HOME=$J/jdk-21" "PATH=$TOOLS:$MVNBIN" -- serve
    rc_is 0; not_built; err_lacks "building"; out_has "FAKEJAVA"
    check "right after a build nothing is rebuilt (jar stamped with the build time)"

    fresh_jars
    run "JAVA_HOME=$J/jdk-21" "PATH=$TOOLS:$MVNBIN" -- serve
    rc_is 0; not_built; err_lacks "building"
    check "up-to-date jar: no build"

    local f
    for f in pom.xml kefu-server/pom.xml kefu-bench/pom.xml kefu-store/src/main/java/kefu/A.java \
        kefu-protocol/src/test/java/kefu/ATest.java; do
        make_repo
        fresh_jars
        touch -t "$NEW" "$REPO/$f"
        run "JAVA_HOME=$J/jdk-21" "PATH=$TOOLS:$MVNBIN" -- serve
        rc_is 0; built; err_has "building kefu"; err_has "$f changed"; out_has "FAKEJAVA"
        check "$f newer than the jar: rebuild"
    done
    : >"$MVNLOG"
    run "JAVA_HOME=$J/jdk-21" "PATH=$TOOLS:$MVNBIN" -- serve
    rc_is 0; not_built; err_lacks "building"
    check "after a rebuild that left the jar unchanged, the next run does not rebuild again"

    fresh_jars
    rm "$REPO/kefu-store/src/main/java/kefu/A.java"
    touch -t "$NEW" "$REPO/kefu-store/src/main/java/kefu"
    run "JAVA_HOME=$J/jdk-21" "PATH=$TOOLS:$MVNBIN" -- serve
    rc_is 0; built
    check "a deleted source file (its directory changed): rebuild"

    fresh_jars
    mkdir -p "$REPO/kefu-bench/src/main/java"
    echo "class B {}" >"$REPO/kefu-bench/src/main/java/B.java"
    run "JAVA_HOME=$J/jdk-21" "PATH=$TOOLS:$MVNBIN" -- serve
    rc_is 0; built
    check "a new module src/ directory: rebuild"

    make_repo
    fresh_jars
    touch -t "$NEW" "$REPO/README.md" "$REPO/kefu"
    mkdir -p "$REPO/kefu-data" "$REPO/kefu-server/target/classes"
    touch -t "$NEW" "$REPO/kefu-data" "$REPO/kefu-server/target/classes"
    run "JAVA_HOME=$J/jdk-21" "PATH=$TOOLS:$MVNBIN" -- serve
    rc_is 0; not_built
    check "changes outside */src and pom.xml (README, target/, kefu-data/): no rebuild"

    fresh_jars
    rm "$REPO/kefu-bench/target/kefu-bench.jar"
    run "JAVA_HOME=$J/jdk-21" "PATH=$TOOLS:$MVNBIN" -- serve
    rc_is 0; not_built
    check "serve does not need the bench jar"
    run "JAVA_HOME=$J/jdk-21" "PATH=$TOOLS:$MVNBIN" -- bench --quick
    rc_is 0; built; err_has "kefu-bench.jar is missing"
    out_has "ARG[-jar]"; out_has "ARG[kefu-bench/target/kefu-bench.jar]"; out_has "ARG[--quick]"
    out_lacks "ARG[serve]"
    check "bench: builds when kefu-bench.jar is missing, then runs it with the arguments"

    fresh_jars
    run "JAVA_HOME=$J/jdk-21" "PATH=$TOOLS:$MVNBIN" -- bench
    rc_is 0; not_built; out_has "ARG[kefu-bench/target/kefu-bench.jar]"
    check "bench: no build when up to date"

    fresh_jars
    touch -t "$NEW" "$REPO/pom.xml"
    run "JAVA_HOME=$J/jdk-21" "PATH=$TOOLS:$MVNBIN" "FAKE_MVN_FAIL=1" -- serve
    [ "$RC" != 0 ] || E+=("expected a non-zero exit status")
    err_has "[ERROR] COMPILATION ERROR: boom"; err_has "build failed"; out_lacks "FAKEJAVA"
    check "failed build: non-zero exit, build output visible, server not started"

    make_repo
    run "JAVA_HOME=$J/jdk-21" "PATH=$TOOLS:$MVNBIN" "FAKE_MVN_NOJAR=1" -- serve
    [ "$RC" != 0 ] || E+=("expected a non-zero exit status")
    err_has "kefu-server.jar was not produced"; out_lacks "FAKEJAVA"
    check "build succeeding without producing the jar is an error"

    make_repo
    run "JAVA_HOME=$J/jdk-21" -- serve
    rc_is 2; err_has "Maven (mvn)"; err_has "not found on PATH"; err_has "apt-get install maven"
    out_lacks "FAKEJAVA"
    check "stale jar and no mvn: clear message, exit 2"

    fresh_jars
    run "JAVA_HOME=$J/jdk-21" -- serve
    rc_is 0; out_has "FAKEJAVA"
    check "up-to-date jar and no mvn: serve still runs"

    run "JAVA_HOME=$J/jdk-21" -- test
    rc_is 2; err_has "Maven (mvn)"
    check "test without mvn: clear message, exit 2"

    # ---------- serve: arguments, JAVA_OPTS, exec ----------
    fresh_jars
    : >"$CWD/-Dkefu.x=aGLOBb"   # would match if JAVA_OPTS were glob-expanded
    run "JAVA_HOME=$J/jdk-21" "PATH=$TOOLS:$MVNBIN" "JAVA_OPTS=-Xmx64m  -Dkefu.x=a*b" "KEFU_ADMIN_TOKEN=s3cret" \
        -- serve --bind 0.0.0.0 --data "my data dir" --config "my conf.yaml" --port 9000
    rc_is 0
    expected="ARG[-XX:SharedArchiveFile=$REPO/kefu-server/target/kefu-server.jsa]
ARG[-XX:+AutoCreateSharedArchive]
ARG[-Xlog:cds*=off]
ARG[-Xmx64m]
ARG[-Dkefu.x=a*b]
ARG[-jar]
ARG[$REPO/kefu-server/target/kefu-server.jar]
ARG[serve]
ARG[--bind]
ARG[0.0.0.0]
ARG[--data]
ARG[my data dir]
ARG[--config]
ARG[my conf.yaml]
ARG[--port]
ARG[9000]"
    [ "$(grep '^ARG' "$OUT")" = "$expected" ] || E+=("java got other arguments than expected")
    out_has "cwd=$CWD"; out_has "KEFU_ADMIN_TOKEN=s3cret"
    check "serve: JAVA_OPTS split (never globbed), options with spaces passed intact, runs where it was called"

    fresh_jars
    run "JAVA_HOME=$J/jdk-25" "PATH=$TOOLS:$MVNBIN" "JAVA_OPTS=-Xmx64m" -- serve --port 9000
    rc_is 0
    expected="ARG[-XX:AOTCache=$REPO/kefu-server/target/kefu-server.aot]
ARG[-Xlog:aot*=off]
ARG[-Xlog:cds*=off]
ARG[-Xmx64m]
ARG[-jar]
ARG[$REPO/kefu-server/target/kefu-server.jar]
ARG[serve]
ARG[--port]
ARG[9000]"
    [ "$(grep '^ARG' "$OUT")" = "$expected" ] || E+=("java got other arguments than expected")
    check "serve on JDK 25+: starts from the AOT cache, then JAVA_OPTS, then the server's arguments"

    run "JAVA_HOME=$J/jdk-21" "PATH=$TOOLS:$MVNBIN" -- serve --no-such-option
    rc_is 0; out_has "ARG[--no-such-option]"
    check "serve passes unknown options to the server (which reports them itself)"

    fresh_jars
    set +e
    (cd -- "$T" && exec env -i HOME="$T" "PATH=$TOOLS" "KEFU_JVM_DIRS=$EMPTY" "JAVA_HOME=$J/jdk-21" \
        "$SUT_SH" "$REPO/kefu" serve) >"$OUT" 2>"$ERR" </dev/null &
    local pid=$!
    wait "$pid"
    RC=$?
    set -e
    rc_is 0; out_has "FAKEJAVA pid=$pid "
    check "serve execs java (same process, so signals reach the JVM)"

    # ---------- test ----------
    fresh_jars
    run "JAVA_HOME=$J/jdk-21" "PATH=$TOOLS:$MVNBIN" -- test -pl kefu-protocol "-Dtest=A Test"
    rc_is 0
    [ "$(head -n 1 "$MVNLOG")" = "mvn -B verify -pl kefu-protocol -Dtest=A Test" ] || E+=("mvn got other arguments")
    grep -qxF "cwd=$REPO" "$MVNLOG" || E+=("mvn did not run in the repo root")
    grep -qxF "JAVA_HOME=$J/jdk-21" "$MVNLOG" || E+=("mvn did not get JAVA_HOME")
    grep -q install "$MVNLOG" && E+=("test ran an install build first")
    check "test: mvn -B verify ARGS in the repo root with the chosen JAVA_HOME"

    : >"$MVNLOG"
    run "KEFU_JVM_DIRS=$MIXED" "PATH=$TOOLS:$MVNBIN" "FAKE_MVN_EXIT=3" -- test
    rc_is 3; grep -qxF "JAVA_HOME=$J/jdk-25" "$MVNLOG" || E+=("mvn did not get the detected JDK")
    check "test: exits with mvn's status"

    : >"$MVNLOG"
    run "JAVA_HOME=$J/jdk-21" "PATH=$TOOLS:$MVNBIN" -- test
    grep -qxF "MAVEN_OPTS=" "$MVNLOG" || E+=("MAVEN_OPTS changed for JDK 21")
    : >"$MVNLOG"
    run "JAVA_HOME=$J/jdk-25" "PATH=$TOOLS:$MVNBIN" "MAVEN_OPTS=-Xmx1g" -- test
    grep -qxF "MAVEN_OPTS=-Xmx1g --sun-misc-unsafe-memory-access=allow" "$MVNLOG" || E+=("MAVEN_OPTS not extended for JDK 25")
    : >"$MVNLOG"
    run "JAVA_HOME=$J/jdk-25" "PATH=$TOOLS:$MVNBIN" "MAVEN_OPTS=--sun-misc-unsafe-memory-access=warn" -- test
    grep -qxF "MAVEN_OPTS=--sun-misc-unsafe-memory-access=warn" "$MVNLOG" || E+=("a user's MAVEN_OPTS setting was overridden")
    check "Maven's sun.misc.Unsafe warnings silenced on JDK 23+ only, unless MAVEN_OPTS already decides"

    # ---------- location independence ----------
    fresh_jars
    CWD=/
    run "JAVA_HOME=$J/jdk-21" -- --version
    rc_is 0; out_has "kefu 9.8.7-TEST"
    check "works when called from / by absolute path"
    run "JAVA_HOME=$J/jdk-21" -- serve
    rc_is 0; out_has "cwd=/"; out_has "ARG[$REPO/kefu-server/target/kefu-server.jar]"
    check "serve from another directory runs there, with the checkout's jar"

    set +e
    (cd -- "$REPO/kefu-server/src" && env -i HOME="$T" "PATH=$TOOLS" "KEFU_JVM_DIRS=$EMPTY" \
        "$SUT_SH" ../../kefu --version) >"$OUT" 2>"$ERR" </dev/null
    RC=$?
    set -e
    rc_is 0; out_has "kefu 9.8.7-TEST"
    check "works when called by a relative path from a subdirectory"

    mkdir -p "$T/linkbin"
    ln -sf "$REPO/kefu" "$T/linkbin/kefu"
    set +e
    (cd / && env -i HOME="$T" "PATH=$T/linkbin:$TOOLS" "KEFU_JVM_DIRS=$EMPTY" \
        "$SUT_SH" "$T/linkbin/kefu" --version) >"$OUT" 2>"$ERR" </dev/null
    RC=$?
    set -e
    rc_is 0; out_has "kefu 9.8.7-TEST"
    check "works through a symlink placed elsewhere"
    CWD="$T"
}

# ---------- checks on the real script ----------
RC=0; : >"$OUT"; : >"$ERR"
[ "$(head -n 1 "$LAUNCHER")" = "#!/bin/sh" ] || E+=("first line is not #!/bin/sh")
[ -x "$LAUNCHER" ] || E+=("not executable")
if command -v dash >/dev/null; then dash -n "$LAUNCHER" || E+=("dash -n failed"); fi
sh -n "$LAUNCHER" || E+=("sh -n failed")
check "./kefu is an executable #!/bin/sh script that parses"

if command -v shellcheck >/dev/null; then
    if shellcheck -s sh "$LAUNCHER" >"$OUT" 2>&1; then ok "shellcheck -s sh ./kefu"; else not_ok "shellcheck -s sh ./kefu"; fi
else
    echo "skip - shellcheck not installed"
fi

shells=()
command -v dash >/dev/null && shells+=(dash)
command -v bash >/dev/null && shells+=(bash)
command -v busybox >/dev/null && busybox sh -c : 2>/dev/null && shells+=("busybox sh")
[ ${#shells[@]} -gt 0 ] || shells=(sh)
for SUT_SH in "${shells[@]}"; do
    # "busybox sh" must stay two words
    if [ "$SUT_SH" = "busybox sh" ]; then
        mkdir -p "$T/bb" && printf '#!/bin/sh\nexec busybox sh "$@"\n' >"$T/bb/bbsh" && chmod +x "$T/bb/bbsh"
        SUT_SH="$T/bb/bbsh"
    fi
    suite
done

# ---------- the script run directly (its #!/bin/sh), in place ----------
make_repo
fresh_jars
set +e
(cd / && env -i HOME="$T" "PATH=$TOOLS" "KEFU_JVM_DIRS=$EMPTY" "JAVA_HOME=$J/jdk-25" "$REPO/kefu" serve --port 1) >"$OUT" 2>"$ERR" </dev/null
RC=$?
set -e
rc_is 0; out_has "ARG[--port]"; out_has "home=$J/jdk-25"
check "executed directly through its #!/bin/sh line"

# ---------- the real machine (informational where it cannot apply) ----------
if [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/javac ]; then
    sysjava=0
    if command -v java >/dev/null; then
        sysjava=$(java -version 2>&1 | sed -n 's/^[^"]* version "\([^"]*\)".*/\1/p' | head -n 1)
        sysjava=${sysjava#1.}; sysjava=${sysjava%%[!0-9]*}
    fi
    if [ "${sysjava:-0}" -lt 21 ]; then
        set +e
        env -u JAVA_HOME -u KEFU_JVM_DIRS "$LAUNCHER" jdk >"$OUT" 2>"$ERR"
        RC=$?
        set -e
        rc_is 0; line1_is /usr/lib/jvm/temurin-25-jdk-amd64
        check "this machine (default java ${sysjava:-none}): picks /usr/lib/jvm/temurin-25-jdk-amd64 by itself"
    fi
fi
set +e
"$LAUNCHER" jdk >"$OUT" 2>"$ERR"
RC=$?
set -e
if [ "$RC" = 0 ]; then
    echo "# this machine's JDK for kefu: $(head -n 1 "$OUT") (java $(sed -n 2p "$OUT"))"
else
    echo "# this machine has no JDK >= 21 for kefu: $(cat "$ERR")"
fi

echo "# $pass passed, $fail failed"
[ "$fail" -eq 0 ]
