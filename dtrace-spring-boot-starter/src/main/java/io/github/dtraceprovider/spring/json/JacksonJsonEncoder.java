package io.github.dtraceprovider.spring.json;

import io.github.dtraceprovider.core.JsonEncoder;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * Writes {@code json} probe arguments with the application's Jackson mapper (its modules and settings), bounded like
 * dtrace-core's built-in encoder: a probe carries at most 4095 bytes of a string, so writing stops after 4095
 * characters, before the next value once the output is full and, at the latest, when Jackson hands its buffer over.
 * An endless {@code Iterable} therefore ends there, a huge collection costs about as much as a small one, and getters
 * (where a lazy association would load) run only for objects that start within the output. Containers nested deeper
 * than 32 levels are written as the string {@code "..."}, which also ends every cycle; a direct self-reference is
 * such a cycle, not an error.
 */
public final class JacksonJsonEncoder implements JsonEncoder {

    /** The most a probe's string argument carries is 4095 bytes, and a character takes at least one. */
    static final int MAX_CHARS = 4095;
    /** Containers nested deeper than this are cut. */
    static final int MAX_DEPTH = 32;

    private final JsonMapper mapper;

    public JacksonJsonEncoder(JsonMapper applicationMapper) {
        this.mapper = applicationMapper.rebuild()
                .addModule(new SimpleModule("dtrace-json-bounds").setSerializerModifier(new BoundingSerializers()))
                .disable(SerializationFeature.FAIL_ON_SELF_REFERENCES)
                .build();
    }

    @Override
    public String encode(Object value) {
        BoundedOutput output = new BoundedOutput(MAX_CHARS);
        try (JsonGenerator generator = mapper.createGenerator(output)) {
            output.writtenBy(generator);
            mapper.writer().withAttribute(BoundedOutput.class, output).writeValue(generator, value);
        } catch (RuntimeException e) {
            // Jackson may wrap the signal that the output is full, with the path where it was raised
            if (!output.isFull()) {
                throw e;
            }
        }
        return output.toString();
    }
}
