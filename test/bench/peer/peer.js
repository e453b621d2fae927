// test/bench/peer/peer.js: the codice-fiscale-js side of
// test/bench/fiscal_code_peer_bench.sh.  Run by the benchmark with NODE_PATH
// pointing at the cache directory where it installed codice-fiscale-js 2.4.0.
//
//   node peer.js places              every Belfiore code in the package's place list, one a line
//   node peer.js run RUN DIR         one run over DIR/valid.json, DIR/decode.json, DIR/encode.json:
//                                    per operation one untimed warm-up pass, then one timed pass;
//                                    prints "key run ms" lines (the format of lib.sh's times file).
//                                    Run 0 also writes what the peer answered (DIR/peer_*.txt) so
//                                    the benchmark can compare it with ticket's answers.
//
// What is timed: only the loop over codes already in memory (strings, or the
// plain objects compute() takes), with process.hrtime.bigint() around it; the
// results are folded into counters so that the loop cannot be optimised away.
'use strict'
const fs = require('fs')
const path = require('path')
const CF = require('codice-fiscale-js').CodiceFiscale

const [mode, runArg, dir] = process.argv.slice(2)

if (mode === 'places') {
	// the package's own list (src/lista-comuni.js ships in the package); the
	// codes it can decode (Comune.GetByCC) and encode (by code)
	const src = path.join(path.dirname(require.resolve('codice-fiscale-js')), '..', 'src', 'lista-comuni.js')
	const codes = new Set()
	for (const m of fs.readFileSync(src, 'utf8').matchAll(/\['([A-Z]\d{3})'/g)) codes.add(m[1])
	process.stdout.write([...codes].sort().join('\n') + '\n')
	process.exit(0)
}
if (mode !== 'run') {
	console.error('usage: peer.js places | peer.js run RUN DIR')
	process.exit(2)
}
const run = Number(runArg)
const record = run === 0

// fn(rec, limit): one pass over the first limit items (all when undefined)
function timed (key, fn, warmup) {
	// warm-up: in run 0 the whole set, recording the answers; later runs the
	// first `warmup` items (codice-fiscale-js' decode and encode are slow)
	fn(record, record ? undefined : warmup)
	const t0 = process.hrtime.bigint()
	const sink = fn(false)
	const t1 = process.hrtime.bigint()
	console.log(`${key} ${run} ${(Number(t1 - t0) / 1e6).toFixed(3)}`)
	return sink
}

// validation: CodiceFiscale.check(code) over the same strings as ticket
const valid = JSON.parse(fs.readFileSync(path.join(dir, 'valid.json'), 'utf8'))
let out = null
timed('peer_valid', (rec, limit = valid.length) => {
	limit = Math.min(limit, valid.length)
	let n = 0
	if (rec) out = Buffer.alloc(valid.length)
	for (let i = 0; i < limit; i++) {
		const ok = CF.check(valid[i])
		if (ok) n++
		if (rec) out[i] = ok ? 49 : 48
	}
	return n
})
if (record) fs.writeFileSync(path.join(dir, 'peer_valid.txt'), out)

// decoding and encoding run over a sample (the first BENCH_PEER_ROWS codes):
// the published build (dist/, what require() loads) finds a place by
// scanning the whole 13,670-entry list, hundreds of microseconds a code.
//
// decoding: the constructor (check, de-omocode, sex, date, place lookup);
// computeInverse is the same constructor followed by toJSON(), which returns
// the place's name but not its code
const decode = JSON.parse(fs.readFileSync(path.join(dir, 'decode.json'), 'utf8'))
let lines = null
timed('peer_decode', (rec, limit = decode.length) => {
	limit = Math.min(limit, decode.length)
	let f = 0; let t = 0; let p = 0
	if (rec) lines = new Array(decode.length)
	for (let i = 0; i < limit; i++) {
		try {
			const o = new CF(decode[i])
			if (o.gender === 'F') f++
			t += o.birthday.getTime()
			p += o.birthplace.cc.length
			if (rec) lines[i] = `${o.gender}\t${o.birthday.toISOString().slice(0, 10)}\t${o.birthplace.cc}`
		} catch (e) {
			if (rec) lines[i] = `ERROR\t${e.message.replace(/[\t\n\\]/g, ' ')}\t`
		}
	}
	return f + t + p
}, 1000)
if (record) fs.writeFileSync(path.join(dir, 'peer_decode.txt'), lines.join('\n') + '\n')

// encoding: CodiceFiscale.compute(object) with the birthplace given by its code
const encode = JSON.parse(fs.readFileSync(path.join(dir, 'encode.json'), 'utf8')).map(
	([surname, name, gender, year, month, day, birthplace]) => ({ surname, name, gender, year, month, day, birthplace }))
timed('peer_encode', (rec, limit = encode.length) => {
	limit = Math.min(limit, encode.length)
	let n = 0
	if (rec) lines = new Array(encode.length)
	for (let i = 0; i < limit; i++) {
		try {
			const code = CF.compute(encode[i])
			n += code.length
			if (rec) lines[i] = code
		} catch (e) {
			if (rec) lines[i] = `ERROR: ${e.message.replace(/[\t\n\\]/g, ' ')}`
		}
	}
	return n
}, 1000)
if (record) fs.writeFileSync(path.join(dir, 'peer_encode.txt'), lines.join('\n') + '\n')
