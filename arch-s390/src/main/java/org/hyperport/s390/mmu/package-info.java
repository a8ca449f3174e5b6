/**
 * s390 dynamic address translation (PoP Ch. 3 "Dynamic Address Translation") and its fault reporting.
 *
 * <h2>Code map</h2>
 * <ul>
 * <li>{@link org.hyperport.s390.mmu.DatWalker}: the pure walk from an ASCE through region, segment and page tables
 *     to a real address (EDAT-1 frames, DAT protection, instruction-execution protection), allocation-free, plus
 *     the TEID encoding ({@link org.hyperport.s390.mmu.DatWalker#teid}: page, fetch/store indication of facility 75,
 *     ESOP-2 protection codes in bits 56/60/61, ASCE identification in bits 62-63).</li>
 * <li>{@link org.hyperport.s390.mmu.S390Mmu}: the SPI {@code Mmu} of one CPU (virtual to REAL), answering
 *     {@code Translation.Mapped} or {@code Translation.Fault} with an {@link org.hyperport.s390.mmu.S390Fault}.</li>
 * </ul>
 *
 * <h2>Where the rest lives</h2>
 * The interpreter ({@code interp/S390Interpreter#translate}) owns what is not a property of the tables: which ASCE
 * a translation mode selects (instructions from the primary space in primary, secondary and AR mode, from the home
 * space in home mode; data from CR1, CR7, CR13 or by ALET 0/1 in AR mode), low-address protection, prefixing,
 * key-controlled protection with {@code interp/StorageKeys}, and the software TLB, whose entries are tagged by that
 * space and dropped by PTLB, IPTE, IDTE, CSP with purge, SPX, a storage-key change (when the PSW key is not 0) and
 * LCTL(G) of CR0, CR1, CR2, CR7 or CR13. LRA, TPROT and IPTE/IDTE are in {@code isa/StorageControlInstructions}.
 */
package org.hyperport.s390.mmu;
