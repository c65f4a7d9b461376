package io.github.dtraceprovider.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.dtraceprovider.core.Probe;

/**
 * Sets a probe's semaphore the way the kernel does for a tracer, knowing nothing of the library's insides: the
 * probe's SDT note in its object file gives the semaphore's address in the object, the object's program headers turn
 * that into an offset in the file, and this process's mappings of the file ({@code /proc/self/maps}) say where that
 * offset is in memory. The value is written through {@code /proc/self/mem}, as a tracer writes into the process.
 * The objects are ELF64 on every architecture the native core supports.
 */
final class SdtSemaphores {

    private static final int SHT_NOTE = 7;
    private static final int NT_STAPSDT = 3;
    private static final int PT_LOAD = 1;

    private SdtSemaphores() {
    }

    /** Writes {@code value} into the semaphores of these loaded probes. */
    static void set(Collection<Probe> probes, int value) {
        try (FileChannel memory = FileChannel.open(Path.of("/proc/self/mem"), StandardOpenOption.WRITE)) {
            List<String> maps = Files.readAllLines(Path.of("/proc/self/maps"));
            Map<Path, ByteBuffer> objects = new HashMap<>();
            for (Probe probe : probes) {
                Path object = probe.objectPath()
                        .orElseThrow(() -> new AssertionError(probe + " is not loaded: it has no semaphore to set"));
                ByteBuffer elf = objects.computeIfAbsent(object, SdtSemaphores::read);
                long offset = fileOffset(elf, semaphore(elf, probe.provider().name(), probe.noteName()));
                long address = address(maps, object.toRealPath(), offset);
                memory.write(ByteBuffer.allocate(Short.BYTES).order(ByteOrder.nativeOrder())
                        .putShort(0, (short) value), address);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ByteBuffer read(Path object) {
        try {
            ByteBuffer elf = ByteBuffer.wrap(Files.readAllBytes(object));
            return elf.order(elf.get(5) == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the mappings {@code maps} put {@code offset} of the file {@code object}. */
    private static long address(List<String> maps, Path object, long offset) {
        for (String line : maps) {
            if (!line.endsWith(object.toString())) {
                continue;
            }
            // start-end perms offset dev inode path
            String[] fields = line.trim().split("\\s+", 6);
            if (fields.length == 6 && Path.of(fields[5]).equals(object)) {
                String[] range = fields[0].split("-");
                long start = Long.parseUnsignedLong(range[0], 16);
                long end = Long.parseUnsignedLong(range[1], 16);
                long mapped = Long.parseUnsignedLong(fields[2], 16);
                if (offset >= mapped && offset < mapped + (end - start)) {
                    return start + (offset - mapped);
                }
            }
        }
        throw new AssertionError("offset " + offset + " of " + object + " is not mapped in this process");
    }

    /** The semaphore address in the SDT note of {@code provider:probe}. */
    private static long semaphore(ByteBuffer elf, String provider, String probe) {
        long sectionHeaders = elf.getLong(0x28);
        int size = Short.toUnsignedInt(elf.getShort(0x3A));
        int count = Short.toUnsignedInt(elf.getShort(0x3C));
        for (int i = 0; i < count; i++) {
            int header = (int) (sectionHeaders + (long) i * size);
            if (elf.getInt(header + 4) != SHT_NOTE) {
                continue;
            }
            int note = (int) elf.getLong(header + 0x18);
            int end = note + (int) elf.getLong(header + 0x20);
            while (note < end) {
                int nameSize = elf.getInt(note);
                int descSize = elf.getInt(note + 4);
                int type = elf.getInt(note + 8);
                int desc = note + 12 + align4(nameSize);
                if (type == NT_STAPSDT && string(elf, note + 12).equals("stapsdt")) {
                    // pc, base, semaphore, then provider, name and arguments as C strings
                    String noteProvider = string(elf, desc + 24);
                    String noteName = string(elf, desc + 24 + noteProvider.length() + 1);
                    if (noteProvider.equals(provider) && noteName.equals(probe)) {
                        return elf.getLong(desc + 16);
                    }
                }
                note = desc + align4(descSize);
            }
        }
        throw new AssertionError("no SDT note for " + provider + ":" + probe);
    }

    /** The file offset of a virtual address, through the loadable segment that holds it. */
    private static long fileOffset(ByteBuffer elf, long address) {
        long programHeaders = elf.getLong(0x20);
        int size = Short.toUnsignedInt(elf.getShort(0x36));
        int count = Short.toUnsignedInt(elf.getShort(0x38));
        for (int i = 0; i < count; i++) {
            int header = (int) (programHeaders + (long) i * size);
            long offset = elf.getLong(header + 8);
            long start = elf.getLong(header + 0x10);
            long fileSize = elf.getLong(header + 0x20);
            if (elf.getInt(header) == PT_LOAD && address >= start && address < start + fileSize) {
                return offset + (address - start);
            }
        }
        throw new AssertionError("no loadable segment holds 0x" + Long.toHexString(address));
    }

    private static String string(ByteBuffer elf, int at) {
        int end = at;
        while (elf.get(end) != 0) {
            end++;
        }
        return new String(elf.array(), at, end - at, StandardCharsets.UTF_8);
    }

    private static int align4(int size) {
        return (size + 3) & ~3;
    }
}
