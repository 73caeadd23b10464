using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Backprop.Kernels;

/// <summary>
/// The packed panels and register tiles of <see cref="Gemm"/>'s large products: an 8 × 4 (or 4 × 4) tile of C held in
/// registers while k fused multiply-adds run over the packed panels of A and B, in 256-bit vectors and, for CPUs that have
/// only 128-bit ones, the same chain of operations in 128-bit vectors.
/// </summary>
/// <remarks>
/// The 128-bit tiles mirror the 256-bit ones line for line rather than sharing one kernel generic over the vector width:
/// .NET 10's ISimdVector is internal (Vector128 and Vector256 share no public vector interface), and a column of the
/// tile is 8 / width vectors, so a generic kernel would need either an array of accumulators, which the JIT does not
/// keep in registers, or both layouts' named locals side by side under width tests — no shorter than the mirror.
/// </remarks>
internal static partial class Gemm
{
    private static double[] Scratch(ref double[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length)
        {
            buffer = new double[Math.Max(length, 256)];
        }

        return buffer;
    }

    /// <summary>Panel of B: for each p the 4 entries B(p, j0 … j0 + 3), zero beyond column n.</summary>
    private static void PackB(int k, int n, int j0, double[] b, int offset, int rowStride, int columnStride, double[] panel, bool wide)
    {
        int nr = Math.Min(Nr, n - j0);
        int start = offset + (j0 * columnStride);
        if (nr == Nr && columnStride == 1 && !wide)
        {
            for (int p = 0; p < k; p++)
            {
                b.AsSpan(start + (p * rowStride), Nr).CopyTo(panel.AsSpan(p * Nr, Nr));
            }

            return;
        }

        if (nr == Nr && columnStride == 1)
        {
            ref double br = ref MemoryMarshal.GetArrayDataReference(b);
            ref double pr = ref MemoryMarshal.GetArrayDataReference(panel);
            for (int p = 0; p < k; p++)
            {
                Vector256.LoadUnsafe(ref br, (nuint)(start + (p * rowStride))).StoreUnsafe(ref pr, (nuint)(p * Nr));
            }

            return;
        }

        panel.AsSpan(0, Nr * k).Clear();
        for (int jj = 0; jj < nr; jj++)
        {
            int index = start + (jj * columnStride);
            for (int p = 0; p < k; p++, index += rowStride)
            {
                panel[(p * Nr) + jj] = b[index];
            }
        }
    }

    /// <summary>Panel of A: for each p the entries A(i0 … i0 + width − 1, p), zero beyond row mr.</summary>
    private static void PackA(int k, int mr, int width, double[] a, int start, int rowStride, int columnStride, Span<double> panel, bool wide)
    {
        if (mr == width && rowStride == 1 && !wide)
        {
            for (int p = 0; p < k; p++)
            {
                a.AsSpan(start + (p * columnStride), width).CopyTo(panel.Slice(p * width, width));
            }

            return;
        }

        if (mr == width && rowStride == 1)
        {
            ref double ar = ref MemoryMarshal.GetArrayDataReference(a);
            ref double pr = ref MemoryMarshal.GetReference(panel);
            for (int p = 0; p < k; p++)
            {
                nuint source = (nuint)(start + (p * columnStride));
                Vector256.LoadUnsafe(ref ar, source).StoreUnsafe(ref pr, (nuint)(p * width));
                if (width == Mr)
                {
                    Vector256.LoadUnsafe(ref ar, source + 4).StoreUnsafe(ref pr, (nuint)((p * width) + 4));
                }
            }

            return;
        }

        panel[..(width * k)].Clear();
        for (int ii = 0; ii < mr; ii++)
        {
            int index = start + (ii * rowStride);
            for (int p = 0; p < k; p++, index += columnStride)
            {
                panel[(p * width) + ii] = a[index];
            }
        }
    }

    private static void Kernel8x4(int k, double[] aPacked, int aStart, double[] bPacked, double[] tile, double[] c, int cIndex, int ldc, bool direct, bool accumulate)
    {
        ref double ar = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(aPacked), aStart);
        ref double br = ref MemoryMarshal.GetArrayDataReference(bPacked);
        Vector256<double> c00 = Vector256<double>.Zero, c10 = Vector256<double>.Zero;
        Vector256<double> c01 = Vector256<double>.Zero, c11 = Vector256<double>.Zero;
        Vector256<double> c02 = Vector256<double>.Zero, c12 = Vector256<double>.Zero;
        Vector256<double> c03 = Vector256<double>.Zero, c13 = Vector256<double>.Zero;
        if (direct && accumulate)
        {
            ref double cr = ref MemoryMarshal.GetArrayDataReference(c);
            c00 = Vector256.LoadUnsafe(ref cr, (nuint)cIndex);
            c10 = Vector256.LoadUnsafe(ref cr, (nuint)(cIndex + 4));
            c01 = Vector256.LoadUnsafe(ref cr, (nuint)(cIndex + ldc));
            c11 = Vector256.LoadUnsafe(ref cr, (nuint)(cIndex + ldc + 4));
            c02 = Vector256.LoadUnsafe(ref cr, (nuint)(cIndex + (2 * ldc)));
            c12 = Vector256.LoadUnsafe(ref cr, (nuint)(cIndex + (2 * ldc) + 4));
            c03 = Vector256.LoadUnsafe(ref cr, (nuint)(cIndex + (3 * ldc)));
            c13 = Vector256.LoadUnsafe(ref cr, (nuint)(cIndex + (3 * ldc) + 4));
        }

        // Walk both panels by reference: no index arithmetic in the loop, just 2 loads, 4 broadcasts and 8 FMAs.
        ref double ap = ref ar;
        ref double bp = ref br;
        for (int p = 0; p < k; p++, ap = ref Unsafe.Add(ref ap, Mr), bp = ref Unsafe.Add(ref bp, Nr))
        {
            Vector256<double> a0 = Vector256.LoadUnsafe(ref ap);
            Vector256<double> a1 = Vector256.LoadUnsafe(ref ap, 4);
            var b0 = Vector256.Create(bp);
            c00 = Vector256.FusedMultiplyAdd(a0, b0, c00);
            c10 = Vector256.FusedMultiplyAdd(a1, b0, c10);
            var b1 = Vector256.Create(Unsafe.Add(ref bp, 1));
            c01 = Vector256.FusedMultiplyAdd(a0, b1, c01);
            c11 = Vector256.FusedMultiplyAdd(a1, b1, c11);
            var b2 = Vector256.Create(Unsafe.Add(ref bp, 2));
            c02 = Vector256.FusedMultiplyAdd(a0, b2, c02);
            c12 = Vector256.FusedMultiplyAdd(a1, b2, c12);
            var b3 = Vector256.Create(Unsafe.Add(ref bp, 3));
            c03 = Vector256.FusedMultiplyAdd(a0, b3, c03);
            c13 = Vector256.FusedMultiplyAdd(a1, b3, c13);
        }

        ref double tr = ref direct ? ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(c), cIndex) : ref MemoryMarshal.GetArrayDataReference(tile);
        int ld = direct ? ldc : Mr;
        c00.StoreUnsafe(ref tr, 0);
        c10.StoreUnsafe(ref tr, 4);
        c01.StoreUnsafe(ref tr, (nuint)ld);
        c11.StoreUnsafe(ref tr, (nuint)(ld + 4));
        c02.StoreUnsafe(ref tr, (nuint)(2 * ld));
        c12.StoreUnsafe(ref tr, (nuint)((2 * ld) + 4));
        c03.StoreUnsafe(ref tr, (nuint)(3 * ld));
        c13.StoreUnsafe(ref tr, (nuint)((3 * ld) + 4));
    }

    private static void Kernel4x4(int k, double[] aPacked, int aStart, double[] bPacked, double[] tile)
    {
        ref double ar = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(aPacked), aStart);
        ref double br = ref MemoryMarshal.GetArrayDataReference(bPacked);
        Vector256<double> c0 = Vector256<double>.Zero, c1 = Vector256<double>.Zero;
        Vector256<double> c2 = Vector256<double>.Zero, c3 = Vector256<double>.Zero;
        ref double ap = ref ar;
        ref double bp = ref br;
        for (int p = 0; p < k; p++, ap = ref Unsafe.Add(ref ap, 4), bp = ref Unsafe.Add(ref bp, Nr))
        {
            Vector256<double> a0 = Vector256.LoadUnsafe(ref ap);
            c0 = Vector256.FusedMultiplyAdd(a0, Vector256.Create(bp), c0);
            c1 = Vector256.FusedMultiplyAdd(a0, Vector256.Create(Unsafe.Add(ref bp, 1)), c1);
            c2 = Vector256.FusedMultiplyAdd(a0, Vector256.Create(Unsafe.Add(ref bp, 2)), c2);
            c3 = Vector256.FusedMultiplyAdd(a0, Vector256.Create(Unsafe.Add(ref bp, 3)), c3);
        }

        ref double tr = ref MemoryMarshal.GetArrayDataReference(tile);
        c0.StoreUnsafe(ref tr, 0);
        c1.StoreUnsafe(ref tr, Mr);
        c2.StoreUnsafe(ref tr, 2 * Mr);
        c3.StoreUnsafe(ref tr, 3 * Mr);
    }

    /// <summary><see cref="Kernel8x4"/> in 128-bit vectors (ARM64's NEON width): the same fused chain for every element of the tile.</summary>
    // Length: over 60 lines because unrolled: sixteen named accumulators, one statement each, keep the tile in registers (see the remarks).
    private static void Kernel8x4Narrow(int k, double[] aPacked, int aStart, double[] bPacked, double[] tile, double[] c, int cIndex, int ldc, bool direct, bool accumulate)
    {
        ref double ap = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(aPacked), aStart);
        ref double bp = ref MemoryMarshal.GetArrayDataReference(bPacked);

        // c[r, j]: rows 2r and 2r + 1 of column j of the tile.
        Vector128<double> c00 = default, c10 = default, c20 = default, c30 = default;
        Vector128<double> c01 = default, c11 = default, c21 = default, c31 = default;
        Vector128<double> c02 = default, c12 = default, c22 = default, c32 = default;
        Vector128<double> c03 = default, c13 = default, c23 = default, c33 = default;
        ref double cr = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(c), cIndex);
        if (direct && accumulate)
        {
            c00 = Vector128.LoadUnsafe(ref cr, 0);
            c10 = Vector128.LoadUnsafe(ref cr, 2);
            c20 = Vector128.LoadUnsafe(ref cr, 4);
            c30 = Vector128.LoadUnsafe(ref cr, 6);
            c01 = Vector128.LoadUnsafe(ref cr, (nuint)ldc);
            c11 = Vector128.LoadUnsafe(ref cr, (nuint)(ldc + 2));
            c21 = Vector128.LoadUnsafe(ref cr, (nuint)(ldc + 4));
            c31 = Vector128.LoadUnsafe(ref cr, (nuint)(ldc + 6));
            c02 = Vector128.LoadUnsafe(ref cr, (nuint)(2 * ldc));
            c12 = Vector128.LoadUnsafe(ref cr, (nuint)((2 * ldc) + 2));
            c22 = Vector128.LoadUnsafe(ref cr, (nuint)((2 * ldc) + 4));
            c32 = Vector128.LoadUnsafe(ref cr, (nuint)((2 * ldc) + 6));
            c03 = Vector128.LoadUnsafe(ref cr, (nuint)(3 * ldc));
            c13 = Vector128.LoadUnsafe(ref cr, (nuint)((3 * ldc) + 2));
            c23 = Vector128.LoadUnsafe(ref cr, (nuint)((3 * ldc) + 4));
            c33 = Vector128.LoadUnsafe(ref cr, (nuint)((3 * ldc) + 6));
        }

        for (int p = 0; p < k; p++, ap = ref Unsafe.Add(ref ap, Mr), bp = ref Unsafe.Add(ref bp, Nr))
        {
            Vector128<double> a0 = Vector128.LoadUnsafe(ref ap);
            Vector128<double> a1 = Vector128.LoadUnsafe(ref ap, 2);
            Vector128<double> a2 = Vector128.LoadUnsafe(ref ap, 4);
            Vector128<double> a3 = Vector128.LoadUnsafe(ref ap, 6);
            var b0 = Vector128.Create(bp);
            c00 = Vector128.FusedMultiplyAdd(a0, b0, c00);
            c10 = Vector128.FusedMultiplyAdd(a1, b0, c10);
            c20 = Vector128.FusedMultiplyAdd(a2, b0, c20);
            c30 = Vector128.FusedMultiplyAdd(a3, b0, c30);
            var b1 = Vector128.Create(Unsafe.Add(ref bp, 1));
            c01 = Vector128.FusedMultiplyAdd(a0, b1, c01);
            c11 = Vector128.FusedMultiplyAdd(a1, b1, c11);
            c21 = Vector128.FusedMultiplyAdd(a2, b1, c21);
            c31 = Vector128.FusedMultiplyAdd(a3, b1, c31);
            var b2 = Vector128.Create(Unsafe.Add(ref bp, 2));
            c02 = Vector128.FusedMultiplyAdd(a0, b2, c02);
            c12 = Vector128.FusedMultiplyAdd(a1, b2, c12);
            c22 = Vector128.FusedMultiplyAdd(a2, b2, c22);
            c32 = Vector128.FusedMultiplyAdd(a3, b2, c32);
            var b3 = Vector128.Create(Unsafe.Add(ref bp, 3));
            c03 = Vector128.FusedMultiplyAdd(a0, b3, c03);
            c13 = Vector128.FusedMultiplyAdd(a1, b3, c13);
            c23 = Vector128.FusedMultiplyAdd(a2, b3, c23);
            c33 = Vector128.FusedMultiplyAdd(a3, b3, c33);
        }

        ref double tr = ref direct ? ref cr : ref MemoryMarshal.GetArrayDataReference(tile);
        nuint ld = (nuint)(direct ? ldc : Mr);
        c00.StoreUnsafe(ref tr, 0);
        c10.StoreUnsafe(ref tr, 2);
        c20.StoreUnsafe(ref tr, 4);
        c30.StoreUnsafe(ref tr, 6);
        c01.StoreUnsafe(ref tr, ld);
        c11.StoreUnsafe(ref tr, ld + 2);
        c21.StoreUnsafe(ref tr, ld + 4);
        c31.StoreUnsafe(ref tr, ld + 6);
        c02.StoreUnsafe(ref tr, 2 * ld);
        c12.StoreUnsafe(ref tr, (2 * ld) + 2);
        c22.StoreUnsafe(ref tr, (2 * ld) + 4);
        c32.StoreUnsafe(ref tr, (2 * ld) + 6);
        c03.StoreUnsafe(ref tr, 3 * ld);
        c13.StoreUnsafe(ref tr, (3 * ld) + 2);
        c23.StoreUnsafe(ref tr, (3 * ld) + 4);
        c33.StoreUnsafe(ref tr, (3 * ld) + 6);
    }

    /// <summary><see cref="Kernel4x4"/> in 128-bit vectors.</summary>
    private static void Kernel4x4Narrow(int k, double[] aPacked, int aStart, double[] bPacked, double[] tile)
    {
        ref double ap = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(aPacked), aStart);
        ref double bp = ref MemoryMarshal.GetArrayDataReference(bPacked);
        Vector128<double> c00 = default, c10 = default, c01 = default, c11 = default;
        Vector128<double> c02 = default, c12 = default, c03 = default, c13 = default;
        for (int p = 0; p < k; p++, ap = ref Unsafe.Add(ref ap, 4), bp = ref Unsafe.Add(ref bp, Nr))
        {
            Vector128<double> a0 = Vector128.LoadUnsafe(ref ap);
            Vector128<double> a1 = Vector128.LoadUnsafe(ref ap, 2);
            var b0 = Vector128.Create(bp);
            c00 = Vector128.FusedMultiplyAdd(a0, b0, c00);
            c10 = Vector128.FusedMultiplyAdd(a1, b0, c10);
            var b1 = Vector128.Create(Unsafe.Add(ref bp, 1));
            c01 = Vector128.FusedMultiplyAdd(a0, b1, c01);
            c11 = Vector128.FusedMultiplyAdd(a1, b1, c11);
            var b2 = Vector128.Create(Unsafe.Add(ref bp, 2));
            c02 = Vector128.FusedMultiplyAdd(a0, b2, c02);
            c12 = Vector128.FusedMultiplyAdd(a1, b2, c12);
            var b3 = Vector128.Create(Unsafe.Add(ref bp, 3));
            c03 = Vector128.FusedMultiplyAdd(a0, b3, c03);
            c13 = Vector128.FusedMultiplyAdd(a1, b3, c13);
        }

        ref double tr = ref MemoryMarshal.GetArrayDataReference(tile);
        c00.StoreUnsafe(ref tr, 0);
        c10.StoreUnsafe(ref tr, 2);
        c01.StoreUnsafe(ref tr, Mr);
        c11.StoreUnsafe(ref tr, Mr + 2);
        c02.StoreUnsafe(ref tr, 2 * Mr);
        c12.StoreUnsafe(ref tr, (2 * Mr) + 2);
        c03.StoreUnsafe(ref tr, 3 * Mr);
        c13.StoreUnsafe(ref tr, (3 * Mr) + 2);
    }
}
