"""The front end's brush rle (js/regions/rle.js, run under Node) against Label Studio's SDK:
a mask encoded in the browser's code decodes identically in the SDK's converter, and a mask the
SDK encodes decodes identically in the browser's code."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest
from label_studio_sdk.converter import brush as sdk_brush

MODULE = Path(__file__).resolve().parents[1] / "jupylabel" / "js" / "regions" / "rle.js"

SCRIPT = """
import { readFileSync } from "node:fs";
import { decodeMask, encodeMask } from %s;
const job = JSON.parse(readFileSync(0, "utf8"));
const out = job.op === "encode"
  ? encodeMask(Uint8Array.from(job.mask), job.W, job.H)
  : Array.from(decodeMask(job.rle, job.W, job.H));
process.stdout.write(JSON.stringify(out));
"""


def node(job: dict):
    done = subprocess.run(["node", "--input-type=module", "-e", SCRIPT % json.dumps(MODULE.as_uri())],
                          input=json.dumps(job), capture_output=True, text=True, check=True, timeout=120)
    return json.loads(done.stdout)


def blob(height, width, seed):
    rng = np.random.default_rng(seed)
    mask = rng.random((height, width)) > 0.6
    mask[height // 3: 2 * height // 3, : width // 2] = True
    return mask


@pytest.mark.parametrize("shape", [(1, 1), (3, 5), (64, 48), (2, 40000)])
def test_painted_in_the_browser_decodes_identically_in_the_sdk(shape):
    height, width = shape
    mask = blob(height, width, seed=height)
    data = node({"op": "encode", "mask": mask.reshape(-1).astype(int).tolist(), "W": width, "H": height})
    decoded = sdk_brush.decode_rle(data).reshape(height, width, 4)
    assert np.array_equal(decoded[:, :, 3], mask.astype(np.uint8) * 255)
    assert np.array_equal(decoded[:, :, 0], decoded[:, :, 3])  # four equal channels, as Label Studio writes
    # and the same bytes as the SDK's own encoder (which pads one zero byte more)
    reference = sdk_brush.mask2rle(mask.astype(np.uint8) * 255)
    assert reference[:len(data)] == data


@pytest.mark.parametrize("shape", [(1, 1), (3, 5), (64, 48)])
def test_encoded_by_the_sdk_decodes_identically_in_the_browser(shape):
    height, width = shape
    mask = blob(height, width, seed=7)
    data = sdk_brush.mask2rle(mask.astype(np.uint8) * 255)
    got = node({"op": "decode", "rle": data, "W": width, "H": height})
    assert np.array_equal(np.array(got, dtype=bool).reshape(height, width), mask)
