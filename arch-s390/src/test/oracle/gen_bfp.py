#!/usr/bin/env python3
"""Oracle generator for the s390x binary-floating-point and FP-support instructions (PoP Ch. 9 and 19).

Each case loads the FPC (rounding mode, flags; the IEEE masks stay zero, since a trap ends a Linux-user process),
16 FPRs, 16 GPRs, the CC and a 16-byte storage operand, executes one instruction, and records the FPRs, the FPC,
the CC (IPM), the GPRs and the storage operand. The program runs under qemu-s390x; the output and the symbol
addresses become bfp-vectors.txt.gz, which BfpOracleTest replays. Deterministic: same seed, same file.

Usage: gen_bfp.py OUT_VECTORS [--seed N] [--per N]   (see rebuild-bfp-vectors.sh)
"""
import gzip, os, random, struct, sys, tempfile

import oracle_run

HERE = os.path.dirname(os.path.abspath(__file__))
TABLE = os.path.join(HERE, '../../main/resources/org/hyperport/s390/decode/bfp.insns')
OUT = 16 * 8 + 8 + 16 * 8 + 16   # fprs, fpc+cc, gprs, storage operand
TEXT_ADDR = oracle_run.TEXT_ADDR
M64 = 2 ** 64 - 1

# Instructions the oracle does not run here (unit tests cover them).
SKIP = {}

MODES = [0, 1, 2, 3, 7]          # FPC BFP rounding modes
M3S = [0, 1, 3, 4, 5, 6, 7]      # rounding methods of the M3 field
SHORT_MEM = set('LE LEY STE STEY AEB SEB MEEB DEB MAEB MSEB SQEB CEB KEB LDEB LXEB'.split())
A_FORMS = {'LEDBR': 'ledbra', 'FIEBR': 'fiebra', 'FIDBR': 'fidbra', 'CEFBR': 'cefbra', 'CDFBR': 'cdfbra',
           'CEGBR': 'cegbra', 'CDGBR': 'cdgbra', 'CFEBR': 'cfebra', 'CFDBR': 'cfdbra', 'CGEBR': 'cgebra',
           'CGDBR': 'cgdbra'}
LOGICAL = set('CELFBR CDLFBR CELGBR CDLGBR CLFEBR CLFDBR CLGEBR CLGDBR'.split())


def load_table():
    rows = []
    for line in open(TABLE):
        t = line.strip()
        if not t or t.startswith('#'):
            continue
        c = t.split(None, 5)
        rows.append((c[0], c[1]))
    return rows


def dbl(rng):
    k = rng.randrange(16)
    s = rng.getrandbits(1) << 63
    if k == 0:
        return s | rng.choice([0, 0x7ff0000000000000, 0x0010000000000000, 0x7fefffffffffffff, 1,
                               0x000fffffffffffff, 0x3ff0000000000000])
    if k == 1:   # NaNs
        q = rng.getrandbits(1) << 51
        f = rng.getrandbits(51) | (0 if q else 1)
        return s | 0x7ff0000000000000 | q | f
    if k == 2:   # subnormal
        return s | rng.getrandbits(rng.randrange(1, 53)) & 0x000fffffffffffff or s | 1
    if k == 3:   # near overflow
        return s | (rng.randrange(0x7f0, 0x7ff) << 52) | rng.getrandbits(52)
    if k == 4:   # near underflow
        return s | (rng.randrange(1, 0x40) << 52) | rng.getrandbits(52)
    if k == 5:   # integers and halves
        v = rng.choice([rng.randrange(-100, 100) + rng.choice([0, 0.5, 0.25]), float(rng.getrandbits(31)),
                        float(rng.getrandbits(63)), float(rng.getrandbits(32)) + 0.5, 2.0 ** rng.randrange(20, 66)])
        return struct.unpack('>Q', struct.pack('>d', v))[0]
    if k == 6:   # short-representable and near short limits
        e = rng.choice([rng.randrange(0x380 - 30, 0x380 + 3), rng.randrange(0x47f - 3, 0x47f + 2),
                        rng.randrange(0x3f0, 0x410)])
        return s | (e << 52) | (rng.getrandbits(52) & ~((1 << rng.choice([0, 29, 28, 20])) - 1))
    return s | (rng.randrange(0x3c0, 0x440) << 52) | rng.getrandbits(52)


def flt(rng):
    k = rng.randrange(14)
    s = rng.getrandbits(1) << 31
    if k == 0:
        return s | rng.choice([0, 0x7f800000, 0x00800000, 0x7f7fffff, 1, 0x007fffff, 0x3f800000])
    if k == 1:
        q = rng.getrandbits(1) << 22
        return s | 0x7f800000 | q | (rng.getrandbits(22) | (0 if q else 1))
    if k == 2:
        return s | (rng.getrandbits(rng.randrange(1, 24)) & 0x7fffff or 1)
    if k == 3:
        return s | (rng.randrange(0xf0, 0xff) << 23) | rng.getrandbits(23)
    if k == 4:
        return s | (rng.randrange(1, 0x18) << 23) | rng.getrandbits(23)
    if k == 5:
        v = rng.choice([rng.randrange(-100, 100) + rng.choice([0, 0.5, 0.25]), float(rng.getrandbits(24)),
                        2.0 ** rng.randrange(20, 66), float(rng.getrandbits(31))])
        return struct.unpack('>I', struct.pack('>f', v))[0]
    return s | (rng.randrange(0x60, 0xa0) << 23) | rng.getrandbits(23)


EXTS = set('AXBR SXBR MXBR DXBR MXDBR MXDB SQXBR CXBR KXBR LTXBR LCXBR LNXBR LPXBR LXDBR LXDB LXEBR LXEB LDXBR '
           'LEXBR FIXBR TCXB CXFBR CXGBR CXLFBR CXLGBR CFXBR CGXBR CLFXBR CLGXBR'.split())
PAIRS = [0, 1, 4, 5, 8, 9, 12, 13]
A_FORMS.update({'LDXBR': 'ldxbra', 'LEXBR': 'lexbra', 'FIXBR': 'fixbra', 'CXFBR': 'cxfbra', 'CXGBR': 'cxgbra',
                'CFXBR': 'cfxbra', 'CGXBR': 'cgxbra'})


def ext_exact(neg, n, shift):
    """The extended image of (-1)^neg * n * 2^-shift (n < 2^113, normal result)."""
    if n == 0:
        return (neg << 63, 0)
    e = n.bit_length() - 1
    expf = e - shift + 16383
    frac = (n << (112 - e)) & ((1 << 112) - 1)
    return ((neg << 63) | (expf << 48) | (frac >> 64), frac & M64)


def extv(rng):
    k = rng.randrange(14)
    s = rng.getrandbits(1)
    if k == 0:
        return rng.choice([(s << 63, 0), ((s << 63) | 0x7fff000000000000, 0), ((s << 63) | 0x0001000000000000, 0),
                           ((s << 63) | 0x7ffeffffffffffff, M64), ((s << 63), 1), ((s << 63) | 0x3fff000000000000, 0)])
    if k == 1:
        q = rng.getrandbits(1) << 47
        f = rng.getrandbits(47)
        lo = rng.getrandbits(64)
        if not q and not f and not lo:
            lo = 1
        return ((s << 63) | 0x7fff000000000000 | q | f, lo)
    if k == 2:
        return ((s << 63) | rng.getrandbits(rng.randrange(1, 49)), rng.getrandbits(64))
    if k == 3:
        return ((s << 63) | (rng.randrange(0x7ff0, 0x7fff) << 48) | rng.getrandbits(48), rng.getrandbits(64))
    if k == 4:
        return ((s << 63) | (rng.randrange(1, 0x40) << 48) | rng.getrandbits(48), rng.getrandbits(64))
    if k == 5:
        n = rng.choice([rng.randrange(1, 400), rng.getrandbits(31), rng.getrandbits(32), rng.getrandbits(63),
                        rng.getrandbits(64), 1 << rng.choice([31, 32, 63, 64])])
        return ext_exact(s, 2 * n + rng.choice([0, 1]), 1)
    if k == 6:   # long- or short-representable and near their limits
        e = rng.choice([rng.randrange(0x3c00 - 60, 0x3c01 + 3), rng.randrange(0x43ff - 3, 0x43ff + 2),
                        rng.randrange(0x3f80 - 30, 0x3f81 + 3), rng.randrange(0x407f - 2, 0x4080 + 1)])
        lo = rng.getrandbits(64) & ~((1 << rng.choice([0, 60, 64])) - 1) & M64
        return ((s << 63) | (e << 48) | rng.getrandbits(48), lo)
    return ((s << 63) | (rng.randrange(0x3f80, 0x4080) << 48) | rng.getrandbits(48), rng.getrandbits(64))


def related(rng, a, short):
    """A second operand that makes cancellation or exact results likely."""
    if short:
        return a ^ rng.choice([0x80000000, 0x80000001, 0x80000000 | rng.getrandbits(4), 0])
    return a ^ rng.choice([1 << 63, (1 << 63) | 1, (1 << 63) | rng.getrandbits(8), 0, rng.getrandbits(30)])


class Case:
    pass


def make(rng, n, mn, fmt):
    c = Case()
    c.n, c.mn = n, mn
    short = (mn[1] == 'E' and mn not in ('LEDBR', 'SFPC', 'SFASR')) or mn in ('LER', 'LZER', 'FIEBR', 'TCEB') \
        or mn in SHORT_MEM or mn[:3] in ('CEF', 'CEG', 'CEL') or mn in ('CFEBR', 'CGEBR', 'CLFEBR', 'CLGEBR')
    c.fpr = [dbl(rng) for _ in range(16)]
    for k in range(16):
        if short and rng.random() < 0.8:
            c.fpr[k] = (flt(rng) << 32) | rng.getrandbits(32)
    c.gpr = [rng.choice([rng.getrandbits(64), rng.getrandbits(32), (-rng.getrandbits(20)) & M64,
                         rng.getrandbits(rng.randrange(1, 64)), 1 << 63, M64, 0x7fffffffffffffff,
                         rng.getrandbits(rng.randrange(1, 64)) | (1 << rng.randrange(54, 64))])
             for _ in range(16)]
    c.fpc = (rng.choice(MODES)) | (rng.getrandbits(5) << 19 if rng.random() < 0.3 else 0)
    c.cc = rng.randrange(4)
    mem = [flt(rng) << 32 | rng.getrandbits(32), dbl(rng)]
    if mn in SHORT_MEM:
        c.mem = mem[0].to_bytes(8, 'big') + rng.getrandbits(64).to_bytes(8, 'big')
    else:
        c.mem = mem[1].to_bytes(8, 'big') + rng.getrandbits(64).to_bytes(8, 'big')
    r1, r2, r3 = rng.randrange(16), rng.randrange(16), rng.randrange(16)
    if mn in EXTS:
        for k in PAIRS:
            if rng.random() < 0.85:
                c.fpr[k], c.fpr[k + 2] = extv(rng)
        r1 = rng.choice(PAIRS)
        if mn not in ('LXDBR', 'LXEBR', 'MXDBR'):
            r2 = rng.choice(PAIRS)
        if rng.random() < 0.3 and mn in ('AXBR', 'SXBR', 'CXBR', 'KXBR'):
            c.fpr[r2], c.fpr[r2 + 2] = c.fpr[r1] ^ rng.choice([1 << 63, 0]), c.fpr[r1 + 2] ^ rng.choice([0, 0, 1])
        if mn == 'LXEBR':
            c.fpr[r2] = flt(rng) << 32
        if mn in ('LXDBR', 'MXDBR', 'MXDB'):
            c.fpr[r2] = dbl(rng)
            c.fpr[r1] = dbl(rng)
        if mn == 'LXEB':
            c.mem = (flt(rng) << 32).to_bytes(8, 'big') + c.mem[8:]
        if mn in ('CXFBR', 'CXGBR', 'CXLFBR', 'CXLGBR', 'CFXBR', 'CGXBR', 'CLFXBR', 'CLGXBR'):
            pass
    g1, g2 = rng.choice([k for k in range(16) if k != 13]), rng.randrange(16)
    if rng.random() < 0.3 and mn not in ('LD', 'STD'):
        c.fpr[r2] = related(rng, c.fpr[r1] >> 32, True) << 32 if short else related(rng, c.fpr[r1], False)
    if mn in ('MADBR', 'MSDBR', 'MAEBR', 'MSEBR') and rng.random() < 0.4:
        # Cancellation: the addend is (minus) the rounded product, so the exact result is the product's rounding
        # error (tiny, zero, or subnormal); exact zeros test the sign rule in every rounding mode.
        short_f = mn[2] == 'E'
        fmt_, n_ = ('>f', 4) if short_f else ('>d', 8)
        def val(k):
            raw = c.fpr[k] >> 32 if short_f else c.fpr[k]
            return struct.unpack(fmt_, raw.to_bytes(n_, 'big'))[0]
        try:
            p_ = val(r3) * val(r2)
            if mn[1] == 'A':
                p_ = -p_
            raw = int.from_bytes(struct.pack(fmt_, p_), 'big')
            c.fpr[r1] = (raw << 32 | (c.fpr[r1] & 0xffffffff)) if short_f else raw
        except (OverflowError, ValueError):
            pass
    m = mn.lower()
    if mn in ('SFPC', 'SFASR'):
        c.gpr[g1] = (rng.choice(MODES) | (rng.getrandbits(5) << 19) | (rng.randrange(8) << 4)) \
            | (rng.getrandbits(32) << 32)
        c.text = '%s %%r%d' % (m, g1)
    elif mn == 'EFPC':
        c.text = 'efpc %%r%d' % g1
    elif mn == 'LFPC':
        v = rng.choice(MODES) | (rng.getrandbits(5) << 19)
        c.mem = v.to_bytes(4, 'big') + c.mem[4:]
        c.text = 'lfpc 0(%r13)'
    elif mn == 'LFAS':
        v = rng.choice(MODES) | (rng.getrandbits(5) << 19) | (rng.randrange(8) << 4)
        c.mem = v.to_bytes(4, 'big') + c.mem[4:]
        c.text = 'lfas 0(%r13)'
    elif mn == 'STFPC':
        c.text = 'stfpc 0(%r13)'
    elif mn in ('SRNM', 'SRNMB', 'SRNMT'):
        v = rng.choice(MODES) if mn != 'SRNM' else rng.randrange(4)
        c.text = '%s %d' % (m, v | (rng.getrandbits(5) << 3 if mn == 'SRNM' else 0))
    elif fmt in ('RR', 'RRE') and mn in ('LDGR',):
        c.text = 'ldgr %%f%d,%%r%d' % (r1, g2)
    elif mn == 'LGDR':
        c.text = 'lgdr %%r%d,%%f%d' % (g1, r2)
    elif mn in ('LZXR', 'LXR'):
        pr = [0, 1, 4, 5, 8, 9, 12, 13]
        c.text = 'lzxr %%f%d' % rng.choice(pr) if mn == 'LZXR' else 'lxr %%f%d,%%f%d' % (rng.choice(pr), rng.choice(pr))
    elif mn in ('LZER', 'LZDR'):
        c.text = '%s %%f%d' % (m, r1)
    elif fmt in ('RR', 'RRE'):
        c.text = '%s %%f%d,%%f%d' % (m, r1, r2)
    elif fmt == 'RRF-b':
        c.text = 'cpsdr %%f%d,%%f%d,%%f%d' % (r1, r3, r2)
    elif fmt == 'RRD':
        c.text = '%s %%f%d,%%f%d,%%f%d' % (m, r1, r3, r2)
    elif fmt == 'RXF':
        c.text = '%s %%f%d,%%f%d,0(%%r13)' % (m, r1, r3)
    elif mn in ('TCEB', 'TCDB', 'TCXB'):
        c.text = '%s %%f%d,%d' % (m, r1, rng.getrandbits(12))
    elif fmt in ('RX-a', 'RXY-a', 'RXE'):
        c.text = '%s %%f%d,0(%%r13)' % (m, r1)
    elif fmt == 'RRF-e':
        m3, m4 = rng.choice(M3S), rng.choice([0, 0, 4])
        name = A_FORMS.get(mn, m)
        if mn in A_FORMS and rng.random() < 0.25 and mn != 'LEDBR':
            m4 = 0
        if mn.startswith('C') and ('F' == mn[1] or 'G' == mn[1] or mn.startswith('CL')) and mn[2] in 'EDFGX' \
                and mn[:2] in ('CF', 'CG', 'CL') and not mn.startswith('CEL') and not mn.startswith('CDL'):
            # to fixed/logical: R1 is a GPR
            c.text = '%s %%r%d,%d,%%f%d,%d' % (name, g1, m3, r2, m4)
        elif mn[:3] in ('CEF', 'CDF', 'CEG', 'CDG', 'CEL', 'CDL', 'CXF', 'CXG', 'CXL'):
            c.text = '%s %%f%d,%d,%%r%d,%d' % (name, r1, m3, g2, m4)
        else:
            c.text = '%s %%f%d,%d,%%f%d,%d' % (name, r1, m3, r2, m4)
    else:
        raise SystemExit('no operands for %s %s' % (mn, fmt))
    return c


def emit(f, cases):
    p = lambda s: f.write(s + '\n')
    p('\t.machine z196')
    p('\t.text')
    p('\t.globl _start')
    p('_start:')
    for c in cases:
        n = c.n
        p('\tlarl %%r1,R%d' % n)
        p('\tlfpc 0(%r1)')
        for k in range(16):
            p('\tld %%f%d,%d(%%r1)' % (k, 8 + 8 * k))
        p('\tl %r0,4(%r1)')
        p('\tspm %r0')
        p('\tlmg %r0,%r15,136(%r1)')
        p('I%d:\t%s' % (n, c.text))
        base = OUT * n
        for k in range(16):
            p('\tstgrl %%r%d,results+%d' % (k, base + 136 + 8 * k))
        p('\tipm %r0')
        p('\tlarl %%r1,results+%d' % base)
        p('\tst %r0,132(%r1)')
        p('\tstfpc 128(%r1)')
        for k in range(16):
            p('\tstd %%f%d,%d(%%r1)' % (k, 8 * k))
        p('\tlarl %%r2,M%d' % n)
        p('\tmvc 264(16,%r1),0(%r2)')
    p('\tlarl %r3,results')
    p('\tlghi %r2,1')
    p('\tlgfi %%r4,%d' % (OUT * len(cases)))
    p('\tsvc 4')
    p('\tlghi %r2,0')
    p('\tsvc 1')
    p('\t.data')
    for c in cases:
        p('\t.balign 8')
        p('R%d:' % c.n)
        p('\t.long 0x%x,0x%x' % (c.fpc, c.cc << 28))
        for v in c.fpr:
            p('\t.quad 0x%x' % v)
        for k, v in enumerate(c.gpr):
            p('\t.quad %s' % ('M%d' % c.n if k == 13 else '0x%x' % v))
        p('\t.balign 8')
        p('M%d:\t.byte %s' % (c.n, ','.join(str(b) for b in c.mem)))
    p('\t.bss')
    p('\t.balign 8')
    p('results:\t.skip %d' % (OUT * len(cases)))


def main():
    out = sys.argv[1]
    seed, per = 20261122, 60
    args = sys.argv[2:]
    while args:
        if args[0] == '--seed':
            seed = int(args[1]); args = args[2:]
        elif args[0] == '--per':
            per = int(args[1]); args = args[2:]
        else:
            raise SystemExit('unknown argument ' + args[0])
    rng = random.Random(seed)
    cases = []
    for mn, fmt in load_table():
        if mn in SKIP:
            continue
        for _ in range(per):
            cases.append(make(rng, len(cases), mn, fmt))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = os.environ.get('ORACLE_WORK', tmp)
        os.makedirs(tmp, exist_ok=True)
        syms, dis, res = oracle_run.run(tmp, 'bfp', cases, emit, OUT)
        with gzip.GzipFile(out, 'wb', mtime=0) as z:
            w = lambda s: z.write((s + '\n').encode())
            w('# s390x BFP oracle vectors from qemu-s390x (gen_bfp.py, seed %d)' % seed)
            w('# case mnemonic objdump insn-addr insn-hex fpc-in cc-in fprs-in gprs-in mem-addr mem-in | '
              'fprs-out fpc-out cc-out gprs-out mem-out')
            for c in cases:
                ia = syms['I%d' % c.n]
                ihex, imn = dis[ia]
                gpr = list(c.gpr)
                gpr[13] = syms['M%d' % c.n]
                rec = res[OUT * c.n: OUT * (c.n + 1)]
                ofpr = [int.from_bytes(rec[8 * k:8 * k + 8], 'big') for k in range(16)]
                ofpc = int.from_bytes(rec[128:132], 'big')
                occ = (int.from_bytes(rec[132:136], 'big') >> 28) & 3
                ogpr = [int.from_bytes(rec[136 + 8 * k:144 + 8 * k], 'big') for k in range(16)]
                omem = rec[264:280]
                w(' '.join([str(c.n), c.mn, imn, '%x' % ia, ihex, '%x' % c.fpc, str(c.cc),
                            ','.join('%x' % v for v in c.fpr), ','.join('%x' % v for v in gpr),
                            '%x' % syms['M%d' % c.n], c.mem.hex(), '|', ','.join('%x' % v for v in ofpr),
                            '%x' % ofpc, str(occ), ','.join('%x' % v for v in ogpr), omem.hex()]))
    print('%d cases' % len(cases))


if __name__ == '__main__':
    main()
