package dev.llmmesh.providers.internal;

/**
 * The langchain4j provider SDKs are optional dependencies of mesh-providers: a project adds the ones it uses. A client
 * whose SDK is missing fails when it is built, naming the artifact to add, rather than with a NoClassDefFoundError
 * on its first call.
 */
public final class Sdk {
    private Sdk() {
    }

    /** langchain4j-open-ai: OpenAI, Azure OpenAI (chat) and OpenAI embeddings. */
    public static void requireOpenAi(String provider) {
        require(provider, "dev.langchain4j.model.openai.OpenAiChatModel", "langchain4j-open-ai");
    }

    /**
     * @throws IllegalStateException naming the Maven artifact when {@code className} is not on the class path
     */
    public static void require(String provider, String className, String artifactId) {
        try {
            Class.forName(className, false, Sdk.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("provider " + provider + " needs dev.langchain4j:" + artifactId
                    + " on the class path (mesh-providers declares it optional); add that dependency, its version is "
                    + "managed by mesh-bom");
        }
    }
}
