# Sourced by the bench scripts: vigil_under_test DIR sets VIGIL to the vigil under test. Unless VIGIL is already set, it
# publishes a framework-dependent ReadyToRun build into DIR/vigil (PublishAot=false), so that a fresh daemon does not
# spend its first seconds, the measured window, in the JIT; VIGIL=artifacts/publish/vigil measures the NativeAOT
# executable tools/package.sh ships. Needs REPO (the repository root).
vigil_under_test() {
  if [[ -z ${VIGIL:-} ]]; then
    dotnet publish "$REPO/src/Vigil.Cli" -c Release -r linux-x64 --self-contained false -p:PublishAot=false -o "$1/vigil" >&2
    VIGIL=$1/vigil/vigil
  fi
  [[ -x $VIGIL ]] || { echo "$VIGIL is not an executable" >&2; exit 1; }
}
