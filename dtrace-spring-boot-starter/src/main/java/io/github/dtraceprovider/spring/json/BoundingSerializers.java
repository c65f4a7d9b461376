package io.github.dtraceprovider.spring.json;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.SerializationConfig;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.jsontype.TypeSerializer;
import tools.jackson.databind.ser.ValueSerializerModifier;
import tools.jackson.databind.ser.std.DelegatingSerializer;
import tools.jackson.databind.type.ArrayType;
import tools.jackson.databind.type.CollectionLikeType;
import tools.jackson.databind.type.CollectionType;
import tools.jackson.databind.type.MapLikeType;
import tools.jackson.databind.type.MapType;

/**
 * Wraps every serializer the mapper creates so that, before each value, the serialisation stops if the output is
 * full, and a container nested deeper than {@link JacksonJsonEncoder#MAX_DEPTH} levels is written as {@code "..."}
 * without being looked at. A value is checked before its serializer runs, so the getters of an object beyond the
 * output are never called. Collections are written without asking their size ({@link IteratingCollectionSerializer}).
 */
final class BoundingSerializers extends ValueSerializerModifier {

    private static final String CUT = "...";

    @Override
    public ValueSerializer<?> modifySerializer(SerializationConfig config, BeanDescription.Supplier beanDescription,
            ValueSerializer<?> serializer) {
        return bounded(serializer);
    }

    // Containers reach the modifier through hooks of their own.

    @Override
    public ValueSerializer<?> modifyArraySerializer(SerializationConfig config, ArrayType type,
            BeanDescription.Supplier beanDescription, ValueSerializer<?> serializer) {
        return bounded(serializer);
    }

    @Override
    public ValueSerializer<?> modifyCollectionSerializer(SerializationConfig config, CollectionType type,
            BeanDescription.Supplier beanDescription, ValueSerializer<?> serializer) {
        return bounded(IteratingCollectionSerializer.of(type, serializer));
    }

    @Override
    public ValueSerializer<?> modifyCollectionLikeSerializer(SerializationConfig config, CollectionLikeType type,
            BeanDescription.Supplier beanDescription, ValueSerializer<?> serializer) {
        return bounded(serializer);
    }

    @Override
    public ValueSerializer<?> modifyMapSerializer(SerializationConfig config, MapType type,
            BeanDescription.Supplier beanDescription, ValueSerializer<?> serializer) {
        return bounded(serializer);
    }

    @Override
    public ValueSerializer<?> modifyMapLikeSerializer(SerializationConfig config, MapLikeType type,
            BeanDescription.Supplier beanDescription, ValueSerializer<?> serializer) {
        return bounded(serializer);
    }

    private static ValueSerializer<?> bounded(ValueSerializer<?> serializer) {
        return serializer instanceof Bounded ? serializer : new Bounded(serializer);
    }

    /** Strings, numbers, booleans, characters and enums: values that contain nothing and are never cut. */
    private static boolean isScalar(Object value) {
        return value == null || value instanceof CharSequence || value instanceof Number || value instanceof Boolean
                || value instanceof Character || value instanceof Enum<?>;
    }

    private static final class Bounded extends DelegatingSerializer {

        Bounded(ValueSerializer<?> delegatee) {
            super(delegatee);
        }

        @Override
        protected ValueSerializer<Object> newDelegatingInstance(ValueSerializer<?> delegatee) {
            return new Bounded(delegatee);
        }

        @Override
        public void serialize(Object value, JsonGenerator generator, SerializationContext context) {
            BoundedOutput output = BoundedOutput.of(context);
            output.checkRoom();
            if (output.depth() >= JacksonJsonEncoder.MAX_DEPTH && !isScalar(value)) {
                generator.writeString(CUT);
                return;
            }
            output.enter();
            try {
                super.serialize(value, generator, context);
            } finally {
                output.leave();
            }
        }

        @Override
        public void serializeWithType(Object value, JsonGenerator generator, SerializationContext context,
                TypeSerializer types) {
            BoundedOutput output = BoundedOutput.of(context);
            output.checkRoom();
            if (output.depth() >= JacksonJsonEncoder.MAX_DEPTH && !isScalar(value)) {
                generator.writeString(CUT);
                return;
            }
            output.enter();
            try {
                super.serializeWithType(value, generator, context, types);
            } finally {
                output.leave();
            }
        }
    }
}
