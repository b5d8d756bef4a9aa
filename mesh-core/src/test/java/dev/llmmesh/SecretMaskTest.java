package dev.llmmesh;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretMaskTest {

    @Test
    void scenario42_aRegisteredSecretIsMaskedInAnyLetterCaseAndAsAFragment() {
        Secret azure = Secret.of("c4a9e1f70b2d4c6e8a0f1b3d5e7c9a2b");
        String upper = "C4A9E1F70B2D4C6E8A0F1B3D5E7C9A2B";
        assertThat(SecretMask.mask("request-id: " + upper)).isEqualTo("request-id: ***");
        assertThat(SecretMask.mask("key C4a9E1f70B2d4C6e8A0f1B3d5E7c9A2b!")).isEqualTo("key ***!");
        assertThat(SecretMask.mask("prefix 0b2d4c6e8a0f tail")).isEqualTo("prefix *** tail");
        assertThat(SecretMask.mask("nothing secret here: 0b2d4c6")).isEqualTo("nothing secret here: 0b2d4c6");
        assertThat(SecretMask.containsSecret("x" + upper.substring(3, 12))).isTrue();
        azure.destroy();
        assertThat(SecretMask.mask("request-id: " + upper)).isEqualTo("request-id: " + upper);
    }

    @Test
    void scenario42_answersLoseOnlyWholeEchoesOfAKey() {
        Secret key = Secret.of("sk-ant-conformance-Zq8wX2vR7t");
        assertThat(SecretMask.maskWhole("performance of SK-ANT-CONFORMANCE-ZQ8WX2VR7T here"))
                .isEqualTo("performance of *** here");
        assertThat(SecretMask.mask("performance")).isEqualTo("per***");
        key.destroy();
    }

    @Test
    void scenario42_shortSecretsAreMaskedWhereTheyAppearWhole() {
        Secret s = Secret.of("pw-Abc1-xy");
        Secret tiny = Secret.of("m");
        assertThat(SecretMask.mask("uri redis://:PW-ABC1-XY@host")).isEqualTo("uri redis://:***@host");
        assertThat(SecretMask.mask("pw-Abc1- is a fragment")).isEqualTo("pw-Abc1- is a fragment");
        assertThat(SecretMask.mask("mistral-medium")).as("too short to mask").isEqualTo("mistral-medium");
        s.destroy();
        tiny.destroy();
    }

    @Test
    void scenario42_exceptionMessagesMaskRegisteredSecrets() {
        Secret key = Secret.of("sk-proj-MASKq8wX2vR7tY4uI1oP6aS3dF9gH0jK5lLm");
        RetryableException e = new RetryableException(ErrorKind.SERVER_ERROR,
                "m: HTTP 500 [request-id=SK-PROJ-MASKQ8WX2VR7TY4UI1OP6AS3DF9GH0JK5LLM]", "m", null, null);
        assertThat(e.getMessage()).isEqualTo("m: HTTP 500 [request-id=***]");
        key.destroy();
    }

    @Test
    void scenario42_keyLikeTokensAreMaskedInOperatorInputEvenWhenNotRegistered() {
        assertThat(SecretMask.maskKeyLike("unknown provider \"sk-ant-api03-NOTREGISTEREDzX9cV8b\"; available: openai"))
                .isEqualTo("unknown provider \"***\"; available: openai");
        assertThat(SecretMask.maskKeyLike("got \"ht!tp://9f8e7d6c5b4a39281706f5e4d3c2b1a0/v1\""))
                .isEqualTo("got \"ht!tp://***/v1\"");
        assertThat(SecretMask.maskKeyLike("got AIzaSyNOTREGISTERED-q8wX2vR7tY4uI1oP6 and AKIAEXAMPLE7NOTREG12"))
                .isEqualTo("got *** and ***");
        assertThat(SecretMask.maskKeyLike("models[0].model: claude-3-5-sonnet-20241022 or gpt-4o-mini-2024-07-18"))
                .isEqualTo("models[0].model: claude-3-5-sonnet-20241022 or gpt-4o-mini-2024-07-18");
        assertThat(SecretMask.maskKeyLike("artifact langchain4j-open-ai-official is missing (line 3)"))
                .isEqualTo("artifact langchain4j-open-ai-official is missing (line 3)");
    }
}
