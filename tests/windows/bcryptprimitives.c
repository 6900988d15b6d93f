/* For running nianbao.exe under Wine in CI only; never shipped.
 *
 * Rust's standard library on Windows draws random numbers from
 * ProcessPrng in bcryptprimitives.dll (Windows 10 and later). Wine 8 does
 * not have that DLL, so this one forwards ProcessPrng to RtlGenRandom
 * (advapi32's SystemFunction036), which Wine does have. */
#include <windows.h>

typedef BOOLEAN(WINAPI *RtlGenRandomFn)(PVOID, ULONG);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    static RtlGenRandomFn gen = NULL;
    if (gen == NULL) {
        HMODULE advapi = LoadLibraryA("advapi32.dll");
        if (advapi == NULL) return FALSE;
        gen = (RtlGenRandomFn)(void *)GetProcAddress(advapi, "SystemFunction036");
        if (gen == NULL) return FALSE;
    }
    while (len > 0) {
        ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!gen(data, chunk)) return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
