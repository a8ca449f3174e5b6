"""What gen_general.py and gen_bfp.py share: assemble and link the generated cases, read their symbols and their
objdump disassembly, and run them under qemu-s390x."""
import os, re, subprocess

TEXT_ADDR = 0x100000


def run(tmp, name, cases, emit, record_size):
    """Writes the cases' assembly with emit(f, cases) into tmp/name.s, builds and runs it. Returns (symbols by name,
    {address: (instruction hex, objdump mnemonic)}, the program's output: record_size bytes per case)."""
    asm, obj, exe = (os.path.join(tmp, name + ext) for ext in ('.s', '.o', ''))
    with open(asm, 'w') as f:
        emit(f, cases)
    subprocess.run(['s390x-linux-gnu-as', '-march=z196', '-o', obj, asm], check=True)
    subprocess.run(['s390x-linux-gnu-ld', '-static', '-Ttext=0x%x' % TEXT_ADDR, '-o', exe, obj], check=True)
    syms = {}
    for line in subprocess.run(['s390x-linux-gnu-nm', exe], capture_output=True, text=True,
                               check=True).stdout.splitlines():
        a, _, sym = line.split()
        syms[sym] = int(a, 16)
    dis = {}
    for line in subprocess.run(['s390x-linux-gnu-objdump', '-d', exe], capture_output=True, text=True,
                               check=True).stdout.splitlines():
        mo = re.match(r'\s+([0-9a-f]+):\t([0-9a-f ]+)\t(\S+)', line)
        if mo:
            dis[int(mo.group(1), 16)] = (mo.group(2).replace(' ', ''), mo.group(3))
    res = subprocess.run(['qemu-s390x', exe], capture_output=True, check=True).stdout
    if len(res) != record_size * len(cases):
        raise SystemExit('short output: %d of %d' % (len(res), record_size * len(cases)))
    return syms, dis, res
