# Shared by guests/<arch>/check.sh (sourced, POSIX sh): compares freshly built guest files with the committed ones.
# The caller sets root (the repository), out (build.sh's output), conformance (the committed conformance folder),
# arch (for the messages) and status=0; each function sets status=1 on a difference.

compare() { # fresh committed
    if [ ! -f "$2" ]; then
        echo "MISSING  $2 (run guests/$arch/build.sh and commit the result)"
        status=1
    elif cmp -s "$1" "$2"; then
        echo "ok       ${2#"$root"/}"
    else
        echo "DIFFERS  ${2#"$root"/} (run guests/$arch/build.sh and commit the result)"
        status=1
    fi
}

# Every conformance file build.sh made must be committed unchanged, and nothing else may be committed beside
# them. Sets n to the number of files compared.
compare_conformance() {
    n=0
    for f in "$out"/conformance/*; do
        compare "$f" "$conformance/$(basename "$f")"
        n=$((n + 1))
    done
    if [ -d "$conformance" ]; then
        for f in "$conformance"/*; do
            [ -e "$f" ] || continue
            if [ ! -e "$out/conformance/$(basename "$f")" ]; then
                echo "EXTRA    ${f#"$root"/} (not produced by build.sh: remove it)"
                status=1
            fi
        done
    fi
}
