#!/bin/bash
# Vendored from ../shared/tools/ooxml-validate (pip and unzip replaced by the venv's own, for a fresh machine).
# Builds Microsoft's Open XML SDK validator (DocumentFormat.OpenXml 2.8.1 on .NET 8) from PyPI only:
# the wheel python-redlines-ooxmlpowertools 2.0.0 ships a self-contained .NET 8 program that bundles the SDK;
# pythonnet hosts that runtime. Target folder: $1 (default ~/.cache/ooxml-validate).
set -euo pipefail
D=${1:-${XDG_CACHE_HOME:-$HOME/.cache}/ooxml-validate}
mkdir -p "$D" && cd "$D"
[[ -x venv/bin/python ]] || python3 -m venv venv
mkdir -p dl && (cd dl && ls python_redlines_ooxmlpowertools-2.0.0-*.whl >/dev/null 2>&1 || ../venv/bin/pip download --no-deps -q python-redlines-ooxmlpowertools==2.0.0)
venv/bin/pip install -q pythonnet==3.2.1
# (Python's zipfile rather than unzip, which a fresh machine may not have)
mkdir -p dl/pt && venv/bin/python -c "import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read('python_redlines_ooxmlpowertools/_binaries/linux-x64.tar.gz'))" dl/python_redlines_ooxmlpowertools-2.0.0-*.whl | tar xz -C dl/pt
V=8.0.32; mkdir -p dotnet/host/fxr/$V dotnet/shared/Microsoft.NETCore.App/$V sdk
cp dl/pt/libhostfxr.so dotnet/host/fxr/$V/
for f in dl/pt/*; do b=$(basename "$f"); case $b in redlines*|DocumentFormat.OpenXml.dll|OpenXmlPowerTools.dll|System.IO.Packaging.dll|System.Drawing.Common.dll|libhostfxr.so|createdump) ;; *) cp "$f" dotnet/shared/Microsoft.NETCore.App/$V/;; esac; done
cp dl/pt/DocumentFormat.OpenXml.dll dl/pt/System.IO.Packaging.dll sdk/
echo "{\"runtimeOptions\":{\"tfm\":\"net8.0\",\"framework\":{\"name\":\"Microsoft.NETCore.App\",\"version\":\"$V\"}}}" > sdk/validator.runtimeconfig.json
venv/bin/python - <<'PY'
import json
d=json.load(open('dl/pt/redlines.deps.json')); tgt=d['runtimeTarget']['name']; t=d['targets'][tgt]
k=[x for x in t if x.startswith('runtimepack.Microsoft.NETCore.App')][0]; n=k.replace('runtimepack.','')
json.dump({"runtimeTarget":{"name":tgt,"signature":""},"compilationOptions":{},"targets":{tgt:{n:t[k]}},
 "libraries":{n:{"type":"package","serviceable":False,"sha512":""}}},
 open('dotnet/shared/Microsoft.NETCore.App/8.0.32/Microsoft.NETCore.App.deps.json','w'))
PY
touch .ready
