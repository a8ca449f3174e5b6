/* l1-rotate: ROL ROR RCL RCR: only CF and OF change (OF defined for 1-bit rotates), SF ZF AF PF are kept, counts
 * masked to 5/6 bits, RCL/RCR on 8- and 16-bit operands rotate modulo 9 and 17 (ARCHES.md 1.8 pitfalls 2-3). */
        .include "test.inc"

        .set KEEP, ZF|SF|PF|AF          /* rotates never touch these: set them going in, expect them coming out */

        USER_MAIN body
body:
        BEGIN "l1-rotate: ROL ROR RCL RCR, flags kept, OF for count 1, count masking, RCL/RCR modulo 9 and 17"

        GROUP "rol"
        T2 rolb, %bl, $1, 0x81, 0, KEEP, 0x03, KEEP|CF|OF
        T2 rolb, %bl, $1, 0x40, 0, CF, 0x80, OF
        T2 rolq, %rbx, $4, 0x0123456789abcdef, 0, CF|ZF, 0x123456789abcdef0, ZF, OF
        T2 rolq, %rbx, $4, 0xf123456789abcdef, 0, 0, 0x123456789abcdeff, CF, OF
        T2 roll, %ebx, %cl, 0xffffffff80000000, 33, 0, 0x00000001, CF|OF
        T2 rolb, %bl, $8, 0x01, 0, 0, 0x01, CF, OF
        T2 rolw, %bx, $16, 0x7777777777778000, 0, CF|SF, 0x7777777777778000, SF, OF

        GROUP "ror"
        T2 rorb, %bl, $1, 0x01, 0, 0, 0x80, CF|OF
        T2 rorb, %bl, $1, 0x02, 0, KEEP|CF, 0x01, KEEP
        T2 rorl, %ebx, $8, 0xffffffff12345678, 0, CF, 0x78123456, 0, OF
        T2 rorq, %rbx, %cl, 0x1, 0x7f, 0, 0x2, 0, OF
        T2 rorq, %rbx, $1, 0x1, 0, 0, 0x8000000000000000, CF|OF

        GROUP "rcl"
        T2 rclb, %bl, $1, 0x80, 0, 0, 0x00, CF|OF
        T2 rclb, %bl, $1, 0x00, 0, CF|KEEP, 0x01, KEEP
        T2 rclb, %bl, $9, 0x5a, 0, CF, 0x5a, CF, OF
        T2 rclb, %bl, $10, 0x80, 0, 0, 0x00, CF, OF
        T2 rclw, %bx, $17, 0x1234, 0, 0, 0x1234, 0, OF
        T2 rclw, %bx, $18, 0x8000, 0, CF, 0x0001, CF, OF
        T2 rcll, %ebx, %cl, 0xffffffff80000000, 33, 0, 0, CF|OF
        T2 rclq, %rbx, $4, 0x8000000000000000, 0, CF, 0x000000000000000c, 0, OF

        GROUP "rcr"
        T2 rcrb, %bl, $1, 0x01, 0, CF, 0x80, CF|OF
        T2 rcrq, %rbx, $1, 0x1, 0, 0, 0x0, CF
        T2 rcrb, %bl, $9, 0x3c, 0, 0, 0x3c, 0, OF
        T2 rcrw, %bx, $3, 0x0005, 0, CF, 0x6000, CF, OF
        T2 rcrq, %rbx, %cl, 0x2, 0x41, CF, 0x8000000000000001, OF

        GROUP "count 0"
        T2 rolq, %rbx, %cl, 0x1234, 64, KEEP|OF, 0x1234, KEEP|OF
        T2 rcrb, %bl, %cl, 0x81, 0x20, CF|ZF, 0x81, CF|ZF
        T2 rclq, %rbx, $0, 0xffff, 0, ALLF, 0xffff, ALLF

        END "l1-rotate"
