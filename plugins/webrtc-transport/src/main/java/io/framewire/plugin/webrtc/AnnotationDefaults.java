package io.framewire.plugin.webrtc;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * An instance of a Config Admin settings annotation without OSGi: given values, else the
 * annotation's declared defaults, so a default is written once, in the annotation.
 */
final class AnnotationDefaults {
    private AnnotationDefaults() {
    }

    static <A extends Annotation> A of(Class<A> type, Map<String, Object> values) {
        Map<String, Object> all = new HashMap<>();
        for (Method m : type.getDeclaredMethods()) {
            all.put(m.getName(), m.getDefaultValue());
        }
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (!all.containsKey(e.getKey())) {
                throw new IllegalArgumentException("setting " + e.getKey() + "=" + e.getValue() + ": "
                        + type.getSimpleName() + " has no such attribute (it has " + all.keySet() + ")");
            }
            all.put(e.getKey(), e.getValue());
        }
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (self, method, args) -> {
            switch (method.getName()) {
                case "annotationType":
                    return type;
                case "equals":
                    return self == args[0];
                case "hashCode":
                    return System.identityHashCode(self);
                case "toString":
                    return type.getSimpleName() + all;
                default:
                    Object v = all.get(method.getName());
                    return v instanceof String[] a ? Arrays.copyOf(a, a.length) : v;
            }
        });
        return type.cast(proxy);
    }
}
