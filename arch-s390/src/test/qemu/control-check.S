/*
 * Bare-metal cross-check of control-instruction facts against QEMU TCG (run-control-check.sh). Results are
 * stored at the label "res" (doubleword slots, offsets in the comments of run-control-check.sh); the program
 * ends in a disabled wait at 0x1234 (0xbad after an unexpected program interruption).
 */
	.text
	.globl _start
_start:
	larl	%r1,pgmpsw
	mvc	0x1d0(16,%r0),0(%r1)
	larl	%r15,res
	stidp	0(%r15)
	lghi	%r0,0
	lghi	%r1,0
	stsi	0
	stg	%r0,8(%r15)
	lgfi	%r0,0x30000002
	lghi	%r1,2
	lgfi	%r2,0x30000
	stsi	0(%r2)
	ipm	%r3
	stg	%r3,16(%r15)
	lgfi	%r1,0x10000
	stsch	0x800(%r2)
	ipm	%r3
	stg	%r3,24(%r15)
	stcrw	0x900(%r2)
	ipm	%r3
	stg	%r3,32(%r15)
	tpi	0xa00(%r2)
	ipm	%r3
	stg	%r3,40(%r15)
	# CHSC SCSC (0x10) at 0x32000, length 16
	lgfi	%r4,0x32000
	mvhhi	0(%r4),16
	mvhhi	2(%r4),0x10
	.insn	rre,0xb25f0000,%r4,%r0
	ipm	%r3
	stg	%r3,48(%r15)
	lg	%r3,16(%r4)
	stg	%r3,56(%r15)
	# page tables: segment table at 0x40000 (2048 entries), ste0 -> pt at 0x44000, ste1 invalid
	lgfi	%r4,0x40000
	lghi	%r5,0x20
	lghi	%r6,2048
1:	stg	%r5,0(%r4)
	aghi	%r4,8
	brctg	%r6,1b
	lgfi	%r4,0x40000
	lgfi	%r5,0x44000
	stg	%r5,0(%r4)
	lgfi	%r4,0x44000
	lghi	%r5,0
	lghi	%r6,256
2:	stg	%r5,0(%r4)
	aghi	%r4,8
	aghi	%r5,0x1000
	brctg	%r6,2b
	lgfi	%r4,0x44000
	lghi	%r5,0x400
	stg	%r5,0(%r4)		# page 0 invalid
	lgfi	%r5,0x50000
	stg	%r5,8(%r4)		# page 1 -> 0x50000
	lgfi	%r5,0x40003		# ASCE: segment table, TL 3
	stg	%r5,64(%r15)
	lctlg	%c1,%c1,64(%r15)
	stosm	200(%r15),0x04
	lghi	%r2,0x1010
	lrag	%r1,0(%r2)
	ipm	%r3
	stg	%r3,72(%r15)
	stg	%r1,80(%r15)
	lghi	%r2,0x10
	lrag	%r1,0(%r2)
	ipm	%r3
	stg	%r3,88(%r15)
	stg	%r1,96(%r15)
	lgfi	%r2,0x100000
	lrag	%r1,0(%r2)
	ipm	%r3
	stg	%r3,104(%r15)
	stg	%r1,112(%r15)
	llihh	%r2,0x8000
	lrag	%r1,0(%r2)
	ipm	%r3
	stg	%r3,120(%r15)
	stg	%r1,128(%r15)
	stnsm	200(%r15),0xfb
	# TPROT with LAP on at address 0x100: key 0
	stctg	%c0,%c0,136(%r15)
	oi	136+4(%r15),0x10	# CR0 bit 35 (byte 4 bit 3) -> 0x10 of byte 4
	lctlg	%c0,%c0,136(%r15)
	tprot	0x100,0
	ipm	%r3
	stg	%r3,144(%r15)
	# storage keys: sske 0x36 at 0x60000; conditional sske (MR|MC) with 0x30; iske; rrbe
	lgfi	%r2,0x60000
	lghi	%r1,0x36
	sske	%r1,%r2
	lghi	%r1,0x30
	sske	%r1,%r2,6
	ipm	%r3
	stg	%r3,152(%r15)
	stg	%r1,160(%r15)
	iske	%r4,%r2
	stg	%r4,168(%r15)
	rrbe	%r0,%r2
	ipm	%r3
	stg	%r3,176(%r15)
	iske	%r4,%r2
	stg	%r4,184(%r15)
	larl	%r1,waitpsw
	lpswe	0(%r1)
	.align 8
waitpsw: .quad 0x0002000180000000, 0x1234
pgmpsw: .quad 0x0002000180000000, 0xbad
	.align 8
res:	.fill 40,8,0
