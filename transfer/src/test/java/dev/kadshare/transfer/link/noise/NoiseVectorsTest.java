package dev.kadshare.transfer.link.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every XX and IK vector for 25519/AESGCM/SHA256 in cacophony's and snow's vector files (copied to
 * {@code noise/vectors.txt}): handshake messages, payloads, handshake hash and the transport messages after it,
 * byte for byte, from both sides.
 */
class NoiseVectorsTest {
    private static final HexFormat HEX = HexFormat.of();

    record Vector(String name, Map<String, String> fields, List<String[]> messages) {
        byte[] bytes(String field) {
            String value = fields.get(field);
            return value == null || value.equals("-") ? new byte[0] : HEX.parseHex(value);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Vector> vectors() throws IOException {
        List<Vector> out = new ArrayList<>();
        try (InputStream in = NoiseVectorsTest.class.getResourceAsStream("/noise/vectors.txt")) {
            String name = null;
            Map<String, String> fields = null;
            List<String[]> messages = null;
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split(" ");
                switch (parts[0]) {
                    case "vector" -> {
                        name = parts[1] + " " + parts[2];
                        fields = new LinkedHashMap<>();
                        messages = new ArrayList<>();
                        out.add(new Vector(name, fields, messages));
                    }
                    case "message" -> messages.add(new String[] {parts[1], parts[2]});
                    default -> fields.put(parts[0], parts[1]);
                }
            }
        }
        assertEquals(4, out.size(), "two XX and two IK vectors");
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void reproducesEveryMessage(Vector v) throws NoiseException {
        Pattern pattern = v.name().contains("_IK_") ? Pattern.IK : Pattern.XX;
        HandshakeState initiator = HandshakeState.initiator(pattern, v.bytes("init_prologue"),
                KeyPair25519.of(v.bytes("init_static")), Optional.of(v.bytes("init_remote_static")),
                new FixedBytes(List.of(v.bytes("init_ephemeral"))));
        HandshakeState responder = HandshakeState.responder(pattern, v.bytes("resp_prologue"),
                KeyPair25519.of(v.bytes("resp_static")), new FixedBytes(List.of(v.bytes("resp_ephemeral"))));
        Transport[] transports = new Transport[2];
        int handshakeMessages = pattern == Pattern.XX ? 3 : 2;
        assertTrue(v.messages().size() > handshakeMessages, "the vector has transport messages too");
        for (int i = 0; i < v.messages().size(); i++) {
            byte[] payload = bytesOf(v.messages().get(i)[0]);
            byte[] expected = bytesOf(v.messages().get(i)[1]);
            boolean fromInitiator = i % 2 == 0;
            if (i < handshakeMessages) {
                HandshakeState writer = fromInitiator ? initiator : responder;
                HandshakeState reader = fromInitiator ? responder : initiator;
                HandshakeStep written = writer.writeMessage(payload);
                assertEquals(HEX.formatHex(expected), HEX.formatHex(written.bytes()), "handshake message " + i);
                HandshakeStep read = reader.readMessage(written.bytes());
                assertArrayEquals(payload, read.bytes(), "payload of handshake message " + i);
                if (i == handshakeMessages - 1) {
                    transports[0] = ((HandshakeStep.Done) (fromInitiator ? written : read)).transport();
                    transports[1] = ((HandshakeStep.Done) (fromInitiator ? read : written)).transport();
                } else {
                    assertInstanceOf(HandshakeStep.Pending.class, written);
                    assertInstanceOf(HandshakeStep.Pending.class, read);
                }
            } else {
                Transport writer = transports[fromInitiator ? 0 : 1];
                Transport reader = transports[fromInitiator ? 1 : 0];
                byte[] sealed = writer.sender().encryptWithAd(new byte[0], payload);
                assertEquals(HEX.formatHex(expected), HEX.formatHex(sealed), "transport message " + i);
                assertArrayEquals(payload, reader.receiver().decryptWithAd(new byte[0], sealed));
            }
        }
        assertArrayEquals(transports[0].handshakeHash(), transports[1].handshakeHash());
        if (v.fields().containsKey("handshake_hash")) {
            assertEquals(v.fields().get("handshake_hash"), HEX.formatHex(transports[0].handshakeHash()));
        }
        assertArrayEquals(v.bytes("resp_static").length == 0 ? null : KeyPair25519.of(v.bytes("resp_static")).publicKey(),
                transports[0].remoteStatic(), "the initiator learned the responder's static key");
        assertArrayEquals(KeyPair25519.of(v.bytes("init_static")).publicKey(), transports[1].remoteStatic());
    }

    private static byte[] bytesOf(String hex) {
        return hex.equals("-") ? new byte[0] : HEX.parseHex(hex);
    }
}
