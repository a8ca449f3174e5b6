# Sourced by ./hyperport and ./test.sh: exports JAVA_HOME pointing at a JDK 25 or newer.
java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n1; }

is_jdk25() {
  [ -n "$1" ] && [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  local v; v="$(java_major "$1/bin/java")"
  [ -n "$v" ] && [ "${v%%.*}" -ge 25 ] 2>/dev/null
}

find_jdk() {
  local c
  for c in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-* /usr/lib/jvm/java-25-* /usr/lib/jvm/jdk-25* /usr/lib/jvm/*; do
    if is_jdk25 "$c"; then echo "$c"; return 0; fi
  done
  if command -v javac >/dev/null 2>&1; then
    c="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
    if is_jdk25 "$c"; then echo "$c"; return 0; fi
  fi
  return 1
}

if ! JAVA_HOME="$(find_jdk)"; then
  echo "hyperport: no JDK 25 found (set JAVA_HOME, or install one under /usr/lib/jvm)" >&2
  exit 2
fi
export JAVA_HOME
