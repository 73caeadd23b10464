using System.Runtime.InteropServices;
using System.Text;

namespace Backprop.Course.Grading;

/// <summary>
/// Unicode normalisation of student ids (NFC, NFKC). The course tool runs with invariant globalization (the same results on
/// every machine), where <see cref="string.Normalize(NormalizationForm)"/> leaves non-ASCII text as it is; so the ICU
/// library is called directly, found the way .NET itself finds it (libicuuc.so.N, newest first, its functions suffixed
/// _N; macOS's libicucore). Without ICU the text is returned as it is and <see cref="Available"/> is false.
/// </summary>
internal static unsafe class UnicodeForms
{
    private static readonly Lazy<(IntPtr Nfc, IntPtr Nfkc, IntPtr Normalize)?> s_icu = new(LoadIcu);

    /// <summary>True when NFC and NFKC really normalise here (ICU was found, or .NET's own normalisation works).</summary>
    public static bool Available => Nfc("e\u0301") == "\u00e9";

    public static string Nfc(string text) => Apply(text, compatibility: false);

    public static string Nfkc(string text) => Apply(text, compatibility: true);

    private static string Apply(string text, bool compatibility)
    {
        if (System.Text.Ascii.IsValid(text))
        {
            return text;   // ASCII is the same in every normal form
        }

        if (s_icu.Value is not { } icu)
        {
            return text.Normalize(compatibility ? NormalizationForm.FormKC : NormalizationForm.FormC);
        }

        var normalize = (delegate* unmanaged<IntPtr, char*, int, char*, int, int*, int>)icu.Normalize;
        var instance = compatibility ? icu.Nfkc : icu.Nfc;
        var buffer = new char[text.Length * 3 + 16];
        for (var attempt = 0; attempt < 2; attempt++)
        {
            int error = 0, length;
            fixed (char* source = text)
            fixed (char* destination = buffer)
            {
                length = normalize(instance, source, text.Length, destination, buffer.Length, &error);
            }

            const int BufferOverflow = 15;   // U_BUFFER_OVERFLOW_ERROR: length is the size needed
            if (error == BufferOverflow)
            {
                buffer = new char[length];
                continue;
            }

            return error > 0 ? text : new string(buffer, 0, length);   // U_FAILURE(error) is error > 0
        }

        return text;
    }

    private static (IntPtr, IntPtr, IntPtr)? LoadIcu()
    {
        var candidates = OperatingSystem.IsMacOS()
            ? [("/usr/lib/libicucore.dylib", "")]
            : Enumerable.Range(50, 50).Reverse().Select(v => ($"libicuuc.so.{v}", $"_{v}")).Append(("libicuuc.so", "")).ToArray();
        foreach (var (library, suffix) in candidates)
        {
            if (!NativeLibrary.TryLoad(library, out var handle))
            {
                continue;
            }

            if (NativeLibrary.TryGetExport(handle, "unorm2_getNFCInstance" + suffix, out var nfc)
                && NativeLibrary.TryGetExport(handle, "unorm2_getNFKCInstance" + suffix, out var nfkc)
                && NativeLibrary.TryGetExport(handle, "unorm2_normalize" + suffix, out var normalize))
            {
                int error = 0;
                var nfcInstance = ((delegate* unmanaged<int*, IntPtr>)nfc)(&error);
                var nfkcInstance = ((delegate* unmanaged<int*, IntPtr>)nfkc)(&error);
                if (error <= 0 && nfcInstance != IntPtr.Zero && nfkcInstance != IntPtr.Zero)
                {
                    return (nfcInstance, nfkcInstance, normalize);
                }
            }

            NativeLibrary.Free(handle);
        }

        return null;
    }
}
