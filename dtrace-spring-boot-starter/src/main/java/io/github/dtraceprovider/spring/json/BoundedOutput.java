package io.github.dtraceprovider.spring.json;

import java.io.Writer;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;

/**
 * The output of one {@link JacksonJsonEncoder#encode}: keeps the first {@code limit} characters and stops the
 * serialisation, by throwing, once more would be written or once {@link #checkRoom()} finds it full. Also counts how
 * deep the serialisation is nested ({@link BoundingSerializers}).
 */
final class BoundedOutput extends Writer {

    /** Thrown to stop the serialisation; it carries no stack trace, since nothing went wrong. */
    private static final class Full extends RuntimeException {
        Full() {
            super("the output is full", null, false, false);
        }
    }

    private final int limit;
    private final StringBuilder text = new StringBuilder();
    private JsonGenerator generator;
    private boolean full;
    private int depth;

    BoundedOutput(int limit) {
        this.limit = limit;
    }

    /** The output of the serialisation {@code context} belongs to. */
    static BoundedOutput of(SerializationContext context) {
        return (BoundedOutput) context.getAttribute(BoundedOutput.class);
    }

    /** The generator that writes here: what it holds in its buffer counts as written. */
    void writtenBy(JsonGenerator generator) {
        this.generator = generator;
    }

    /** Stops the serialisation if the output is already full, counting what the generator still buffers. */
    void checkRoom() {
        if (text.length() + Math.max(0, generator.streamWriteOutputBuffered()) >= limit) {
            full = true;
            throw new Full();
        }
    }

    boolean isFull() {
        return full;
    }

    /** How many values enclose the one being written. */
    int depth() {
        return depth;
    }

    void enter() {
        depth++;
    }

    void leave() {
        depth--;
    }

    @Override
    public void write(char[] chars, int offset, int length) {
        int room = limit - text.length();
        text.append(chars, offset, Math.min(room, length));
        if (length > room) {
            full = true;
            throw new Full();
        }
    }

    @Override
    public void write(String string, int offset, int length) {
        int room = limit - text.length();
        text.append(string, offset, offset + Math.min(room, length));
        if (length > room) {
            full = true;
            throw new Full();
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
