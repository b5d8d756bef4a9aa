package dev.llmmesh.config;

/** PLACEHOLDER: being implemented (config helper owns this file). */
public final class ConfigNode {
    public String path() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    public void consume(String key) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    public void requireNoUnknownKeys() {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
