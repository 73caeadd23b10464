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
internal static partial class Gemm
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
    // Length: over 60 lines on purpose: the whole dispatch (empty, small, large, which orientation) reads top to bottom in one place.
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
    // Length: over 60 lines on purpose: the 16-row and 4-row vector loops and the scalar tail share one column's setup, with no call in the hot loop.
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

    // Length: over 60 lines on purpose: one loop nest (row blocks, panels of B, tiles), with the write-back of a partial tile inline in it.
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
}
