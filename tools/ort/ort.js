#!/usr/bin/env node
// ort.js — run an ONNX model with ONNX Runtime (CPU) for textloc's parity tests and benchmarks.
//
//   node ort.js MODEL [--threads N] [--runs R] [--warmup W] [--opt LEVEL] (--size HxW | IN.npy) [OUT.npy]
//
// LEVEL is ONNX Runtime's graph optimisation level: disabled, basic, extended or all (default).
//
// The input is a 1x3xHxW float32 .npy tensor, or with --size a deterministic one made here
// (the same formula as textloc's bench input, so both engines see the same numbers).
// Writes the first output as float32 .npy when OUT.npy is given, and prints one JSON line:
// {"h":..,"w":..,"threads":..,"runs":..,"median_ms":..,"min_ms":..,"times_ms":[..],"max_rss_kib":..}
'use strict';
const fs = require('fs');
const path = require('path');
let ort;
try {
  ort = require(path.join(__dirname, 'node_modules', 'onnxruntime-node'));
} catch (e) {
  process.stderr.write('ort.js: onnxruntime-node is not installed; run: ' +
    'cd tools/ort && npm install --ignore-scripts onnxruntime-node\n');
  process.exit(3);
}

function die(msg) { process.stderr.write('ort.js: ' + msg + '\n'); process.exit(2); }

function readNpy(file) {
  const b = fs.readFileSync(file);
  if (b.length < 10 || b.toString('latin1', 1, 6) !== 'NUMPY') die(file + ': not a .npy file');
  const major = b[6];
  const hlen = major === 1 ? b.readUInt16LE(8) : b.readUInt32LE(8);
  const hoff = major === 1 ? 10 : 12;
  const header = b.toString('latin1', hoff, hoff + hlen);
  if (!/'descr':\s*'<f4'/.test(header)) die(file + ': only little-endian float32 is supported');
  if (/'fortran_order':\s*True/.test(header)) die(file + ': Fortran order is not supported');
  const m = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (!m) die(file + ': no shape in header');
  const dims = m[1].split(',').map(s => s.trim()).filter(s => s.length).map(Number);
  const n = dims.reduce((a, d) => a * d, 1);
  const off = hoff + hlen;
  if (b.length - off < n * 4) die(file + ': truncated data');
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = b.readFloatLE(off + 4 * i);
  return { dims, data };
}

function writeNpy(file, dims, data) {
  let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" +
    dims.join(', ') + (dims.length === 1 ? ',' : '') + '), }';
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const h = Buffer.alloc(10);
  h.write('\x93NUMPY', 0, 'latin1'); h[6] = 1; h[7] = 0; h.writeUInt16LE(header.length, 8);
  const body = Buffer.from(data.buffer, data.byteOffset, data.length * 4);
  const tmp = file + '.tmp.' + process.pid;
  fs.writeFileSync(tmp, Buffer.concat([h, Buffer.from(header, 'latin1'), body]));
  fs.renameSync(tmp, file);
}

// Deterministic input in [-2, 2): a fixed integer hash of the element index, so that
// textloc's bench (tests/bench) builds exactly the same tensor without sharing a file.
function synthInput(h, w) {
  const n = 3 * h * w;
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let x = Math.imul(i, 2654435761) >>> 0;
    x ^= x >>> 15; x = Math.imul(x, 2246822519) >>> 0; x ^= x >>> 13;
    data[i] = ((x >>> 8) / 16777216) * 4 - 2;
  }
  return { dims: [1, 3, h, w], data };
}

async function main() {
  const a = process.argv.slice(2);
  let threads = 1, runs = 1, warmup = 0, size = null, opt = 'all';
  const pos = [];
  for (let i = 0; i < a.length; i++) {
    if (a[i] === '--threads') threads = parseInt(a[++i], 10);
    else if (a[i] === '--runs') runs = parseInt(a[++i], 10);
    else if (a[i] === '--warmup') warmup = parseInt(a[++i], 10);
    else if (a[i] === '--size') size = a[++i];
    else if (a[i] === '--opt') opt = a[++i];
    else if (a[i].startsWith('--')) die('unknown option ' + a[i]);
    else pos.push(a[i]);
  }
  if (!(threads >= 1) || !(runs >= 1) || !(warmup >= 0)) die('bad --threads/--runs/--warmup');
  if (pos.length < 1) die('usage: node ort.js MODEL [--threads N] [--runs R] [--warmup W] (--size HxW | IN.npy) [OUT.npy]');
  const model = pos[0];
  let input, out = null;
  if (size) {
    const m = /^(\d+)x(\d+)$/.exec(size);
    if (!m) die('--size wants HxW');
    input = synthInput(parseInt(m[1], 10), parseInt(m[2], 10));
    out = pos[1] || null;
  } else {
    if (pos.length < 2) die('no input tensor');
    input = readNpy(pos[1]);
    out = pos[2] || null;
  }
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential',
    graphOptimizationLevel: opt,
  });
  const feeds = {};
  feeds[session.inputNames[0]] = new ort.Tensor('float32', input.data, input.dims);
  let result = null;
  for (let i = 0; i < warmup; i++) result = await session.run(feeds);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    result = await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const o = result[session.outputNames[0]];
  if (out) writeNpy(out, o.dims, o.data);
  const sorted = times.slice().sort((x, y) => x - y);
  const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2]
    : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  process.stdout.write(JSON.stringify({
    h: input.dims[2], w: input.dims[3], threads, runs, median_ms: +median.toFixed(3),
    min_ms: +sorted[0].toFixed(3), times_ms: times.map(t => +t.toFixed(3)),
    max_rss_kib: process.resourceUsage().maxRSS,
  }) + '\n');
}

main().catch(e => { process.stderr.write('ort.js: ' + (e && e.message ? e.message : e) + '\n'); process.exit(3); });
