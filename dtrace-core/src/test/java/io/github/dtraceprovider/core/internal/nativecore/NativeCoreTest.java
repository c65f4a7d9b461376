package io.github.dtraceprovider.core.internal.nativecore;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class NativeCoreTest {

    @Test
    void onlyLinuxOnX8664AndAarch64IsSupported() {
        assertThat(NativeLibraryLoader.platformProblem("Linux", "amd64")).isNull();
        assertThat(NativeLibraryLoader.platformProblem("Linux", "aarch64")).isNull();
        assertThat(NativeLibraryLoader.platformProblem("Mac OS X", "aarch64")).isEqualTo("USDT probes need Linux; this is Mac OS X");
        assertThat(NativeLibraryLoader.platformProblem("Windows 11", "amd64")).isEqualTo("USDT probes need Linux; this is Windows 11");
        assertThat(NativeLibraryLoader.platformProblem("Linux", "riscv64"))
                .isEqualTo("the native library is built for x86-64 and aarch64 only; this is riscv64");
    }

    @Test
    void loadsWhereThePlatformIsSupported() {
        assumeTrue(NativeLibraryLoader.platformProblem(System.getProperty("os.name"), System.getProperty("os.arch")) == null);
        assertThat(NativeCore.unsupportedReason()).isNull();
        assertThat(NativeCore.isLoaded()).isTrue();
    }
}
