#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image (Ubuntu), from /autograder/source.
# It installs the .NET 10 SDK and bubblewrap (the grader's sandbox), restores the pinned notebook engine and builds
# the kit and the course tool, so that run_autograder needs nothing from the network.
# Where bubblewrap does not work in the container, the grader (root) runs each kernel as an unprivileged user of its
# own (util-linux's setpriv and prlimit): so that this user reads none of the lecturer's files, /autograder (the kit's
# sources, the notebooks with their hidden checks, the submission, the results) is closed to every user but root, and
# the NuGet packages (the engine among them) go to /opt/backprop-nuget, which every user may read.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
export DEBIAN_FRONTEND=noninteractive DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 NUGET_PACKAGES=/opt/backprop-nuget
apt-get update -qq
apt-get install -y -qq --no-install-recommends bubblewrap util-linux curl ca-certificates libicu-dev >/dev/null
mkdir -p /opt/backprop-nuget && chmod 755 /opt/backprop-nuget
chmod 700 /autograder 2>/dev/null || true
if ! command -v dotnet >/dev/null 2>&1 || ! dotnet --list-sdks | grep -q '^10\.'; then
  curl -sSL https://dot.net/v1/dotnet-install.sh -o /tmp/dotnet-install.sh
  bash /tmp/dotnet-install.sh --channel 10.0 --install-dir /usr/share/dotnet
  ln -sf /usr/share/dotnet/dotnet /usr/local/bin/dotnet
fi
cd kit
dotnet tool restore
dotnet build lib/Backprop.Kit -c Release
dotnet build lib/Backprop.Course -c Release
chmod -R a+rX /opt/backprop-nuget
