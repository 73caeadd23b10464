using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Backprop.Kernels;

/// <summary>
/// A small single-threaded matrix product C = A·B (or C += A·B) on strided <see cref="MatrixView"/>s of raw arrays, so that the forward pass (A = [1 | Z] Wᵀ), the backward pass (Δ W) and the weight
/// gradient (Δᵀ [1 | Z]) all run on MathNet's column-major storage without transposed copies.
/// </summary>
/// <remarks>
/// Each element of C is a sum over p in increasing order, and the same bits on every CPU: small products
/// (<see cref="SmallWork"/>) multiply, then add, exactly as a textbook loop does, in 256-bit vectors or not; large ones
/// chain fused multiply-adds (one rounding each), with AVX2 and FMA in 8 × 4 register tiles over zero-padded panels
/// (8 rows of A, 4 columns of B), anywhere else element by element with Math.FusedMultiplyAdd, which rounds the same.
/// Which elements of C a tile updates in place and which it adds to afterwards is decided from the shapes and strides
/// alone (<see cref="Tiled"/>). Scratch panels are per thread, so concurrent passes on different threads are safe.
/// </remarks>
internal static class Gemm
{
    private const int Mr = 8;
    private const int Nr = 4;

    /// <summary>Products below this many multiply-adds use the scalar loop: packing would cost more than it saves.</summary>
    private const long SmallWork = 2048;

    /// <summary>Rows of A packed at a time: 128 rows × 257 columns of doubles is 263 kB, which stays in L2.</summary>
    private const int BlockRows = 128;

    [ThreadStatic]
    private static double[]? t_aPanels;

    [ThreadStatic]
    private static double[]? t_bPanel;

    [ThreadStatic]
    private static double[]? t_tile;

    /// <summary>The widest vectors the code may use: the tests run each width on one machine and compare the bits.</summary>
    internal enum Width
    {
        /// <summary>Scalar code, as on a CPU without FMA (or without vectors).</summary>
        Scalar = 0,

        /// <summary>128-bit vectors with FMA where the CPU has them (ARM64's NEON; x86 with FMA), scalar code otherwise.</summary>
        Bits128 = 128,

        /// <summary>256-bit vectors with FMA where the CPU has them (x86 with AVX2), narrower code otherwise.</summary>
        Bits256 = 256,
    }

    private static bool Has256 => Vector256.IsHardwareAccelerated && Fma.IsSupported;

    private static bool Has128 => Vector128.IsHardwareAccelerated && (Fma.IsSupported || AdvSimd.IsSupported);

    /// <summary>C = A·B, or C += A·B when <paramref name="accumulate"/> is set, for any strided views with matching shapes.</summary>
    public static void Multiply(MatrixView a, MatrixView b, MatrixView c, bool accumulate) => Multiply(a, b, c, accumulate, Width.Bits256);

    /// <summary>
    /// <see cref="Multiply(MatrixView, MatrixView, MatrixView, bool)"/> with vectors no wider than <paramref name="widest"/>:
    /// the code a CPU with narrower vectors or without FMA runs (the tests compare the widths bit for bit).
    /// </summary>
    internal static void Multiply(MatrixView a, MatrixView b, MatrixView c, bool accumulate, Width widest)
    {
        if (a.Columns != b.Rows || c.Rows != a.Rows || c.Columns != b.Columns)
        {
            throw new ArgumentException($"Gemm: ({a.Rows} × {a.Columns}) · ({b.Rows} × {b.Columns}) does not fit into {c.Rows} × {c.Columns}.");
        }

        MultiplyCore(
            a.Rows, b.Columns, a.Columns,
            a.Data, a.Offset, a.RowStride, a.ColumnStride,
            b.Data, b.Offset, b.RowStride, b.ColumnStride,
            c.Data, c.Offset, c.RowStride, c.ColumnStride,
            accumulate,
            widest);
    }

    /// <summary>
    /// C(i, j) = [C(i, j) +] Σ_p A(i, p) B(p, j) for i &lt; m, j &lt; n, p &lt; k, where
    /// X(r, c) = x[xOffset + r·xRowStride + c·xColumnStride].
    /// </summary>
    private static void MultiplyCore(
        int m, int n, int k,
        double[] a, int aOffset, int aRowStride, int aColumnStride,
        double[] b, int bOffset, int bRowStride, int bColumnStride,
        double[] c, int cOffset, int cRowStride, int cColumnStride,
        bool accumulate,
        Width widest)
    {
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0)
        {
            if (!accumulate)
            {
                for (int j = 0; j < n; j++)
                {
                    for (int i = 0; i < m; i++)
                    {
                        c[cOffset + (i * cRowStride) + (j * cColumnStride)] = 0.0;
                    }
                }
            }

            return;
        }

        if ((long)m * n * k < SmallWork)
        {
            // Small products (one sample's pass, a layer of a few units): multiply-adds along a contiguous
            // column or row of C where the strides allow it, the plain loop otherwise. Same sums, same order.
            bool columns = cRowStride == 1 && aRowStride == 1;
            bool rows = cColumnStride == 1 && bColumnStride == 1;
            if (columns && (m >= n || !rows))
            {
                ColumnUpdates(m, n, k, a, aOffset, aColumnStride, b, bOffset, bRowStride, bColumnStride, c, cOffset, cColumnStride, accumulate, widest == Width.Bits256);
            }
            else if (rows)
            {
                ColumnUpdates(n, m, k, b, bOffset, bRowStride, a, aOffset, aColumnStride, aRowStride, c, cOffset, cRowStride, accumulate, widest == Width.Bits256);
            }
            else
            {
                Scalar(m, n, k, a, aOffset, aRowStride, aColumnStride, b, bOffset, bRowStride, bColumnStride, c, cOffset, cRowStride, cColumnStride, accumulate);
            }

            return;
        }

        // Cᵀ = Bᵀ Aᵀ: choose the orientation that wastes the fewest padded lanes, and on a tie the
        // one whose columns of C are contiguous (direct vector stores). The choice decides which
        // elements of C a tile updates in place (see Tiled), so it is made the same way on every CPU.
        long work = Padded(m, Mr) * Padded(n, Nr);
        long swappedWork = Padded(n, Mr) * Padded(m, Nr);
        bool swap = swappedWork < work || (swappedWork == work && cRowStride != 1 && cColumnStride == 1);
        if (swap)
        {
            Tiled(n, m, k, b, bOffset, bColumnStride, bRowStride, a, aOffset, aColumnStride, aRowStride, c, cOffset, cColumnStride, cRowStride, accumulate, widest);
        }
        else
        {
            Tiled(m, n, k, a, aOffset, aRowStride, aColumnStride, b, bOffset, bRowStride, bColumnStride, c, cOffset, cRowStride, cColumnStride, accumulate, widest);
        }
    }

    /// <summary>
    /// The large products: every C(i, j) is one chain of fused multiply-adds s ← A(i, p) B(p, j) + s over p = 0, 1, …,
    /// k − 1 (one rounding each). Where an 8 × 4 tile of C lies wholly inside C and its columns are contiguous, the chain
    /// starts from C(i, j) (accumulating) or 0 and its end is stored; elsewhere it starts from 0 and C(i, j) becomes
    /// [C(i, j) +] the chain's end. With FMA the packed register tiles (<see cref="Packed"/>) do it, in 256-bit vectors
    /// (AVX2) or 128-bit ones (ARM64, x86 told to keep to 128 bits); anywhere else (no FMA, no vectors)
    /// <see cref="TiledScalar"/> does the same arithmetic element by element, so every CPU gets the same bits.
    /// </summary>
    private static void Tiled(
        int m, int n, int k,
        double[] a, int aOffset, int aRowStride, int aColumnStride,
        double[] b, int bOffset, int bRowStride, int bColumnStride,
        double[] c, int cOffset, int cRowStride, int cColumnStride,
        bool accumulate,
        Width widest)
    {
        if (widest >= Width.Bits256 && Has256)
        {
            Packed(m, n, k, a, aOffset, aRowStride, aColumnStride, b, bOffset, bRowStride, bColumnStride, c, cOffset, cRowStride, cColumnStride, accumulate, wide: true);
        }
        else if (widest >= Width.Bits128 && Has128)
        {
            Packed(m, n, k, a, aOffset, aRowStride, aColumnStride, b, bOffset, bRowStride, bColumnStride, c, cOffset, cRowStride, cColumnStride, accumulate, wide: false);
        }
        else
        {
            TiledScalar(m, n, k, a, aOffset, aRowStride, aColumnStride, b, bOffset, bRowStride, bColumnStride, c, cOffset, cRowStride, cColumnStride, accumulate);
        }
    }

    /// <summary>
    /// <see cref="Packed"/>'s sums element by element with Math.FusedMultiplyAdd (exactly rounded on every CPU,
    /// in hardware where there is FMA): a full 8 × 4 tile is one whose first row and column are multiples of 8 and 4
    /// with 8 rows and 4 columns of C from there (Packed's row blocks of 128 keep tiles at multiples of 8).
    /// </summary>
    private static void TiledScalar(
        int m, int n, int k,
        double[] a, int aOffset, int aRowStride, int aColumnStride,
        double[] b, int bOffset, int bRowStride, int bColumnStride,
        double[] c, int cOffset, int cRowStride, int cColumnStride,
        bool accumulate)
    {
        int fullRows = cRowStride == 1 ? m / Mr * Mr : 0;
        int fullColumns = n / Nr * Nr;
        for (int j = 0; j < n; j++)
        {
            for (int i = 0; i < m; i++)
            {
                bool direct = i < fullRows && j < fullColumns;
                int ci = cOffset + (i * cRowStride) + (j * cColumnStride);
                double sum = direct && accumulate ? c[ci] : 0.0;
                int ai = aOffset + (i * aRowStride);
                int bi = bOffset + (j * bColumnStride);
                for (int p = 0; p < k; p++, ai += aColumnStride, bi += bRowStride)
                {
                    sum = Math.FusedMultiplyAdd(a[ai], b[bi], sum);
                }

                c[ci] = accumulate && !direct ? c[ci] + sum : sum;
            }
        }
    }

    private static long Padded(int size, int block) => ((size + block - 1) / block) * (long)block;

    private static void Scalar(
        int m, int n, int k,
        double[] a, int aOffset, int aRowStride, int aColumnStride,
        double[] b, int bOffset, int bRowStride, int bColumnStride,
        double[] c, int cOffset, int cRowStride, int cColumnStride,
        bool accumulate)
    {
        for (int j = 0; j < n; j++)
        {
            for (int i = 0; i < m; i++)
            {
                int ci = cOffset + (i * cRowStride) + (j * cColumnStride);
                double sum = accumulate ? c[ci] : 0.0;
                int ai = aOffset + (i * aRowStride);
                int bi = bOffset + (j * bColumnStride);
                for (int p = 0; p < k; p++, ai += aColumnStride, bi += bRowStride)
                {
                    sum += a[ai] * b[bi];
                }

                c[ci] = sum;
            }
        }
    }

    /// <summary>
    /// C = [C +] A·B for an A and a C whose columns are contiguous: column j of C gains A(:, p) B(p, j) for
    /// p = 0, 1, …, k − 1, a vectorised multiply-add over the m rows. (With the roles of rows and columns
    /// swapped, Cᵀ = Bᵀ Aᵀ, the same loop serves a B and a C whose rows are contiguous.) Each C(i, j) is
    /// [C(i, j) +] Σ_p A(i, p) B(p, j) summed in increasing p without fused multiply-adds, exactly as <see cref="Scalar"/> sums it.
    /// </summary>
    private static void ColumnUpdates(
        int m, int n, int k,
        double[] a, int aOffset, int aColumnStride,
        double[] b, int bOffset, int bRowStride, int bColumnStride,
        double[] c, int cOffset, int cColumnStride,
        bool accumulate,
        bool vectors)
    {
        for (int j = 0; j < n; j++)
        {
            int column = cOffset + (j * cColumnStride);
            int bj = bOffset + (j * bColumnStride);
            int row = 0;
            if (vectors && Vector256.IsHardwareAccelerated)
            {
                // 16 rows at a time in four registers across the whole inner dimension: one load of A per product.
                ref double ar = ref MemoryMarshal.GetArrayDataReference(a);
                ref double cr = ref MemoryMarshal.GetArrayDataReference(c);
                for (; row + 16 <= m; row += 16)
                {
                    nuint at = (nuint)(column + row);
                    Vector256<double> c0 = accumulate ? Vector256.LoadUnsafe(ref cr, at) : Vector256<double>.Zero;
                    Vector256<double> c1 = accumulate ? Vector256.LoadUnsafe(ref cr, at + 4) : Vector256<double>.Zero;
                    Vector256<double> c2 = accumulate ? Vector256.LoadUnsafe(ref cr, at + 8) : Vector256<double>.Zero;
                    Vector256<double> c3 = accumulate ? Vector256.LoadUnsafe(ref cr, at + 12) : Vector256<double>.Zero;
                    nuint ai = (nuint)(aOffset + row);
                    int bi = bj;
                    for (int p = 0; p < k; p++, ai += (nuint)aColumnStride, bi += bRowStride)
                    {
                        var bp = Vector256.Create(b[bi]);
                        c0 += Vector256.LoadUnsafe(ref ar, ai) * bp;      // multiply, then add: the plain loop's rounding
                        c1 += Vector256.LoadUnsafe(ref ar, ai + 4) * bp;
                        c2 += Vector256.LoadUnsafe(ref ar, ai + 8) * bp;
                        c3 += Vector256.LoadUnsafe(ref ar, ai + 12) * bp;
                    }

                    c0.StoreUnsafe(ref cr, at);
                    c1.StoreUnsafe(ref cr, at + 4);
                    c2.StoreUnsafe(ref cr, at + 8);
                    c3.StoreUnsafe(ref cr, at + 12);
                }

                for (; row + 4 <= m; row += 4)
                {
                    nuint at = (nuint)(column + row);
                    Vector256<double> c0 = accumulate ? Vector256.LoadUnsafe(ref cr, at) : Vector256<double>.Zero;
                    nuint ai = (nuint)(aOffset + row);
                    int bi = bj;
                    for (int p = 0; p < k; p++, ai += (nuint)aColumnStride, bi += bRowStride)
                    {
                        c0 += Vector256.LoadUnsafe(ref ar, ai) * Vector256.Create(b[bi]);
                    }

                    c0.StoreUnsafe(ref cr, at);
                }
            }

            for (; row < m; row++)
            {
                double sum = accumulate ? c[column + row] : 0.0;
                int ai = aOffset + row;
                int bi = bj;
                for (int p = 0; p < k; p++, ai += aColumnStride, bi += bRowStride)
                {
                    sum += a[ai] * b[bi];
                }

                c[column + row] = sum;
            }
        }
    }

    private static void Packed(
        int m, int n, int k,
        double[] a, int aOffset, int aRowStride, int aColumnStride,
        double[] b, int bOffset, int bRowStride, int bColumnStride,
        double[] c, int cOffset, int cRowStride, int cColumnStride,
        bool accumulate,
        bool wide)
    {
        int panels = (n + Nr - 1) / Nr;
        int blockRows = Math.Min(m, BlockRows);
        double[] aPacked = Scratch(ref t_aPanels, (((blockRows + Mr - 1) / Mr) * Mr) * k);
        double[] bPacked = Scratch(ref t_bPanel, Nr * k);
        double[] tile = Scratch(ref t_tile, Mr * Nr);

        // A block of up to BlockRows rows of A stays in L2 while every 4-column panel of B (in L1) passes by it.
        for (int ic = 0; ic < m; ic += BlockRows)
        {
            int mc = Math.Min(BlockRows, m - ic);
            for (int i0 = 0; i0 < mc; i0 += Mr)
            {
                int mr = Math.Min(Mr, mc - i0);
                PackA(k, mr, mr > 4 ? Mr : 4, a, aOffset + ((ic + i0) * aRowStride), aRowStride, aColumnStride, aPacked.AsSpan(i0 * k), wide);
            }

            for (int panel = 0; panel < panels; panel++)
            {
                int j0 = panel * Nr;
                int nr = Math.Min(Nr, n - j0);
                PackB(k, n, j0, b, bOffset, bRowStride, bColumnStride, bPacked, wide);
                for (int i0 = 0; i0 < mc; i0 += Mr)
                {
                    int mr = Math.Min(Mr, mc - i0);
                    bool direct = mr == Mr && nr == Nr && cRowStride == 1;
                    int cIndex = cOffset + ((ic + i0) * cRowStride) + (j0 * cColumnStride);
                    if (mr > 4 && wide)
                    {
                        Kernel8x4(k, aPacked, i0 * k, bPacked, tile, c, cIndex, cColumnStride, direct, accumulate);
                    }
                    else if (mr > 4)
                    {
                        Kernel8x4Narrow(k, aPacked, i0 * k, bPacked, tile, c, cIndex, cColumnStride, direct, accumulate);
                    }
                    else if (wide)
                    {
                        Kernel4x4(k, aPacked, i0 * k, bPacked, tile);
                    }
                    else
                    {
                        Kernel4x4Narrow(k, aPacked, i0 * k, bPacked, tile);
                    }

                    if (!direct)
                    {
                        for (int jj = 0; jj < nr; jj++)
                        {
                            for (int ii = 0; ii < mr; ii++)
                            {
                                int ci = cIndex + (ii * cRowStride) + (jj * cColumnStride);
                                double value = tile[(jj * Mr) + ii];
                                c[ci] = accumulate ? c[ci] + value : value;
                            }
                        }
                    }
                }
            }
        }
    }

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
