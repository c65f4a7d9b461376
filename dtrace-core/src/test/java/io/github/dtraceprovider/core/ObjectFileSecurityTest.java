package io.github.dtraceprovider.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.dtraceprovider.testing.Tools;

import static io.github.dtraceprovider.core.Tracing.UID;
import static io.github.dtraceprovider.core.Tracing.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The object is code this process runs, so nobody else may be able to change it: it is never written through a link
 * planted where it goes, nor into a directory another user can write, and its directory and file have the modes the
 * native core promises. Another user is simulated with files and links owned by {@code nobody} (needs root).
 */
class ObjectFileSecurityTest {

    private static final int NOBODY = 65534;
    private static final Pattern OBJECT_NAME = Pattern.compile("(\\w+)\\.(\\d+)\\.([0-9a-f]{16})\\.(\\d+)\\.so");
    private static final String PRIVATE_DIR = "dtrace-provider-" + UID;

    @TempDir
    Path base;

    @BeforeEach
    void needsRootAndTheNativeCore() {
        Tools.assumeRoot();
        assertThat(DTraceProvider.unsupportedReason()).isEmpty();
    }

    @Test
    void directoryOthersCanWriteWithoutTheStickyBitIsRefused() throws Exception {
        for (String mode : List.of("rwxrwxrwx", "rwxrwx---", "rwx-w--wx")) {
            Path open = directory("open-" + mode.replace('-', '_'), mode);
            assertThat(enableFailure(open)).isEqualTo("refusing directory " + open
                    + ": other users can write to it and it lacks the sticky bit");
            assertThat(open).isEmptyDirectory();

            // reached through a symbolic link, it is the directory that counts
            Path link = Files.createSymbolicLink(base.resolve("link-to-" + open.getFileName()), open);
            assertThat(enableFailure(link)).startsWith("refusing directory " + link + ": other users can write");
            assertThat(open).isEmptyDirectory();
        }
    }

    @Test
    void stickyDirectoryOthersCanWriteIsAccepted() throws Exception {
        Path shared = directory("shared", "rwxrwxrwx");
        Tools.runOk(Tracing.TIMEOUT, "chmod", "1777", shared.toString());
        Path object = enable(shared);
        assertThat(object.getParent()).isEqualTo(shared.resolve(PRIVATE_DIR));
    }

    @Test
    void privateDirectoryPlantedAsASymbolicLinkIsRefused() throws Exception {
        Path parent = directory("parent", "rwx------");
        Path victim = directory("victim", "rwx------");
        Path planted = Files.createSymbolicLink(parent.resolve(PRIVATE_DIR), victim);
        Files.setAttribute(planted, "unix:uid", NOBODY, LinkOption.NOFOLLOW_LINKS);
        assertThat(enableFailure(parent)).isEqualTo("refusing " + planted
                + ": it is a symbolic link or not a directory");
        assertThat(victim).isEmptyDirectory();

        Files.delete(planted);
        Files.createSymbolicLink(planted, base.resolve("does-not-exist"));
        assertThat(enableFailure(parent)).startsWith("refusing " + planted + ": it is a symbolic link");
        assertThat(base.resolve("does-not-exist")).doesNotExist();
    }

    @Test
    void privateDirectoryThatIsAFileIsRefused() throws Exception {
        Path parent = directory("parent", "rwx------");
        Files.writeString(parent.resolve(PRIVATE_DIR), "not a directory");
        assertThat(enableFailure(parent)).startsWith("refusing " + parent.resolve(PRIVATE_DIR)
                + ": it is a symbolic link or not a directory");
        assertThat(parent.resolve(PRIVATE_DIR)).hasContent("not a directory");
    }

    @Test
    void privateDirectoryOfAnotherUserIsRefused() throws Exception {
        Path parent = directory("parent", "rwx------");
        Path planted = Files.createDirectory(parent.resolve(PRIVATE_DIR),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setAttribute(planted, "unix:uid", NOBODY);
        assertThat(enableFailure(parent)).isEqualTo("refusing directory " + planted + ": it must be owned by uid "
                + UID + " with mode 0700 (found uid " + NOBODY + ", mode 700)");
        assertThat(planted).isEmptyDirectory();
    }

    @Test
    void privateDirectoryOthersCanUseIsRefused() throws Exception {
        Path parent = directory("parent", "rwx------");
        Path planted = Files.createDirectory(parent.resolve(PRIVATE_DIR));
        for (String mode : List.of("rwxrwxrwx", "rwxr-xr-x", "rwx-----x")) {
            Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString(mode));
            String octal = Integer.toOctalString(Integer.parseInt(
                    mode.replaceAll("[rwx]", "1").replace('-', '0'), 2));
            assertThat(enableFailure(parent)).isEqualTo("refusing directory " + planted + ": it must be owned by"
                    + " uid " + UID + " with mode 0700 (found uid " + UID + ", mode " + octal + ")");
            assertThat(planted).isEmptyDirectory();
        }
    }

    @Test
    void objectIsNeverWrittenThroughALinkPlantedUnderItsName() throws Exception {
        Path parent = directory("parent", "rwx------");
        Path victim = Files.writeString(base.resolve("victim"), "precious");
        Path missing = base.resolve("created-through-a-link");
        try (DTraceProvider provider = DTraceProvider.builder(uniqueName("planted")).directory(parent).build()) {
            provider.addProbe("p", "int");
            provider.enable();
            Path first = provider.objectPaths().get(0);
            provider.disable();

            // The next objects of this process are named MODULE.PID.TAG.SEQ.so with SEQ counting up from the last
            // one: plant links owned by another user under the next names, to an existing file and to a missing one.
            Matcher name = OBJECT_NAME.matcher(first.getFileName().toString());
            assertThat(name.matches()).isTrue();
            long sequence = Long.parseLong(name.group(4));
            List<Path> planted = new ArrayList<>();
            for (long next = sequence + 1; next <= sequence + 20; next++) {
                Path link = first.resolveSibling(nextName(name, next));
                Files.createSymbolicLink(link, next % 2 == 0 ? victim : missing);
                Files.setAttribute(link, "unix:uid", NOBODY, LinkOption.NOFOLLOW_LINKS);
                planted.add(link);
            }

            provider.enable();
            Path object = provider.objectPaths().get(0);
            assertThat(object).isEqualTo(first.resolveSibling(nextName(name, sequence + 21)));
            assertThat(Files.isRegularFile(object, LinkOption.NOFOLLOW_LINKS)).isTrue();
            assertThat(Files.getAttribute(object, "unix:uid")).isEqualTo(UID);
            assertThat(victim).hasContent("precious");
            assertThat(missing).doesNotExist();
            assertThat(planted).as("planted links are neither followed nor removed")
                    .allMatch(Files::isSymbolicLink);
        }
    }

    @Test
    void fileOfAnotherUserUnderTheObjectsNameIsLeftAlone() throws Exception {
        Path parent = directory("parent", "rwx------");
        try (DTraceProvider provider = DTraceProvider.builder(uniqueName("replaced")).directory(parent).build()) {
            provider.addProbe("p", "int");
            provider.enable();
            Path first = provider.objectPaths().get(0);
            provider.disable();
            Matcher name = OBJECT_NAME.matcher(first.getFileName().toString());
            assertThat(name.matches()).isTrue();
            long sequence = Long.parseLong(name.group(4));
            Path next = first.resolveSibling(nextName(name, sequence + 1));
            Files.writeString(next, "planted");
            Files.setAttribute(next, "unix:uid", NOBODY);
            Files.setPosixFilePermissions(next, PosixFilePermissions.fromString("rw-rw-rw-"));

            provider.enable();
            Path object = first.resolveSibling(nextName(name, sequence + 2));
            assertThat(provider.objectPaths()).containsExactly(object);
            assertThat(Files.getAttribute(object, "unix:uid")).isEqualTo(UID);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(object))).isEqualTo("rw-------");
            assertThat(Files.readAllBytes(object)).startsWith(0x7f, 'E', 'L', 'F');
            assertThat(next).hasContent("planted");
        }
    }

    private static String nextName(Matcher objectName, long sequence) {
        return objectName.group(1) + "." + objectName.group(2) + "." + objectName.group(3) + "." + sequence + ".so";
    }

    @Test
    void directoryAndObjectHaveTheModesThePromiseSays() throws Exception {
        Path parent = directory("parent", "rwxr-xr-x");
        try (DTraceProvider provider = DTraceProvider.builder(uniqueName("modes")).directory(parent).build()) {
            provider.addProbe("p", "int");
            provider.enable();
            Path object = provider.objectPaths().get(0);
            Path privateDir = parent.resolve(PRIVATE_DIR);
            assertThat(object.getParent()).isEqualTo(privateDir);
            assertThat(Files.isSymbolicLink(privateDir)).isFalse();
            assertThat(Files.getAttribute(privateDir, "unix:uid")).isEqualTo(UID);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privateDir)))
                    .isEqualTo("rwx------");
            assertThat(Files.isRegularFile(object, LinkOption.NOFOLLOW_LINKS)).isTrue();
            assertThat(Files.getAttribute(object, "unix:uid")).isEqualTo(UID);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(object))).isEqualTo("rw-------");
            assertThat(Files.getAttribute(object, "unix:nlink")).as("no other name points at the object")
                    .isEqualTo(1);
            assertThat(listing(privateDir)).containsExactly(object);
        }
    }

    /** Enables a provider in {@code parent} and returns its object path, which is gone once this returns. */
    private Path enable(Path parent) {
        try (DTraceProvider provider = DTraceProvider.builder(uniqueName("secure")).directory(parent).build()) {
            provider.addProbe("p", "int");
            provider.enable();
            Path object = provider.objectPaths().get(0);
            assertThat(object).isRegularFile();
            return object;
        }
    }

    /** The reason enable() gives for refusing {@code parent}, after checking the rest of the message. */
    private String enableFailure(Path parent) {
        try (DTraceProvider provider = DTraceProvider.builder(uniqueName("refused")).directory(parent).build()) {
            provider.addProbe("p", "int");
            Throwable failure = catchThrowable(provider::enable);
            String prefix = "Cannot enable DTrace provider \"" + provider.name() + "\": ";
            assertThat(failure).isInstanceOf(IllegalStateException.class).hasMessageStartingWith(prefix)
                    .message().doesNotContain("\n");
            assertThat(provider.isEnabled()).isFalse();
            assertThat(provider.objectPaths()).isEmpty();
            return failure.getMessage().substring(prefix.length());
        }
    }

    private Path directory(String name, String mode) throws IOException {
        Path directory = Files.createDirectory(base.resolve(name));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString(mode));
        return directory;
    }

    /** The object files: beside them the directory holds this process's TAG.lock. */
    private static List<Path> listing(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".so")).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
