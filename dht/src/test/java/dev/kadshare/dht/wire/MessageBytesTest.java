package dev.kadshare.dht.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.routing.Contact;
import dev.kadshare.dht.store.AnnouncedPeer;
import dev.kadshare.dht.store.LinkKey;
import dev.kadshare.dht.store.RecordValue;
import dev.kadshare.dht.store.SignedRecords;
import dev.kadshare.dht.token.WriteToken;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins every DHT datagram's bytes (version 3, docs/PROTOCOL.md): a failure here is a change to the wire,
 * which needs a new {@link MessageCodec#VERSION} and a line in the document's version history.
 */
class MessageBytesTest {
    private static final long TX = 0x0102030405060708L;
    /** The transaction id as it travels: 8 bytes, least significant first. */
    private static final String TX_HEX = "0807060504030201 ";
    private static final NodeId SENDER = NodeId.fromHex("aa".repeat(32));
    private static final NodeId KEY = NodeId.fromHex("bb".repeat(32));
    private static final String HEADER = TX_HEX + "aa".repeat(32) + " ";
    private static final WriteToken TOKEN = WriteToken.of(new byte[] {1, 2, 3, 4});
    private static final InetSocketAddress V4 = new InetSocketAddress("127.0.0.1", 7700);
    private static final InetSocketAddress V6 = new InetSocketAddress("::1", 7701);
    private static final String V4_HEX = "04 7f000001 141e ";
    private static final String V6_HEX = "10 " + "00".repeat(15) + "01 151e ";
    /** A link key of cc x 32, and how it travels: its length, then its bytes. */
    private static final LinkKey LINK = LinkKey.of(HexFormat.of().parseHex("cc".repeat(32)));
    private static final String LINK_HEX = "20 " + "cc".repeat(32) + " ";
    /** Where the responder saw the request come from: 10.0.0.1:7700 (the example's address behind a NAT). */
    private static final InetSocketAddress OBSERVED = new InetSocketAddress("10.0.0.1", 7700);
    private static final String OBSERVED_HEX = "04 0a000001 141e ";
    /** "hi", signed by the publisher of seed 07 x 32 for the key bb x 32, salt "s", sequence number 1 (108 bytes). */
    private static final RecordValue VALUE = RecordValue.sign(SignedRecords.publisher(7), KEY, "s".getBytes(), 1, "hi".getBytes());
    private static final String VALUE_HEX = "6c ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c 01 73 0000000000000001 "
            + "9a2444b741770ecf5aaa6d5a53d1a17d7e864805aaabd7882e9caec2db9e7d429fe537bcc242553f940845e3cc585879002ed5c7a85e91820d519f0a46edf304 "
            + "6869 ";
    private final MessageCodec codec = new MessageCodec();

    static Stream<Arguments> pinned() {
        String key = "bb".repeat(32) + " ";
        return Stream.of(
                pin(new Ping(TX, SENDER), "03 64 " + HEADER),
                pin(new Pong(TX, SENDER, OBSERVED), "03 65 " + HEADER + OBSERVED_HEX),
                pin(new FindNode(TX, SENDER, KEY), "03 66 " + HEADER + key),
                pin(new Nodes(TX, SENDER, OBSERVED, List.of(new Contact(KEY, V4), new Contact(SENDER, V6))),
                        "03 67 " + HEADER + OBSERVED_HEX + "02 " + key + V4_HEX + "aa".repeat(32) + " " + V6_HEX),
                pin(new Nodes(TX, SENDER, OBSERVED, List.of()), "03 67 " + HEADER + OBSERVED_HEX + "00"),
                pin(new GetPeers(TX, SENDER, KEY), "03 68 " + HEADER + key),
                pin(new Peers(TX, SENDER, OBSERVED, TOKEN, List.of(AnnouncedPeer.of(V4, Optional.of(LINK)),
                                AnnouncedPeer.of(V6)), List.of()),
                        "03 69 " + HEADER + OBSERVED_HEX + "04 01020304 02 " + V4_HEX + LINK_HEX + V6_HEX + "00 00"),
                pin(new Peers(TX, SENDER, OBSERVED, TOKEN, List.of(), List.of(new Contact(KEY, V4))),
                        "03 69 " + HEADER + OBSERVED_HEX + "04 01020304 00 01 " + key + V4_HEX),
                pin(new AnnouncePeer(TX, SENDER, KEY, 7700, TOKEN, Optional.of(LINK)),
                        "03 6a " + HEADER + key + "141e 04 01020304 " + LINK_HEX),
                pin(new AnnouncePeer(TX, SENDER, KEY, 7700, TOKEN), "03 6a " + HEADER + key + "141e 04 01020304 00"),
                pin(new Announced(TX, SENDER, OBSERVED), "03 6b " + HEADER + OBSERVED_HEX),
                pin(new GetRecords(TX, SENDER, KEY, 300), "03 6c " + HEADER + key + "ac02"),
                pin(new Records(TX, SENDER, OBSERVED, TOKEN, List.of(VALUE), List.of(), 2),
                        "03 6d " + HEADER + OBSERVED_HEX + "04 01020304 01 " + VALUE_HEX + "00 02"),
                pin(new Records(TX, SENDER, OBSERVED, TOKEN, List.of(), List.of(new Contact(KEY, V4)), 0),
                        "03 6d " + HEADER + OBSERVED_HEX + "04 01020304 00 01 " + key + V4_HEX + "00"),
                pin(new PutRecord(TX, SENDER, KEY, VALUE, 1800, TOKEN),
                        "03 6e " + HEADER + key + VALUE_HEX + "880e 04 01020304"),
                pin(new Stored(TX, SENDER, OBSERVED), "03 6f " + HEADER + OBSERVED_HEX),
                pin(new WithdrawPeer(TX, SENDER, KEY, 7700, TOKEN), "03 70 " + HEADER + key + "141e 04 01020304"),
                pin(new PeerWithdrawn(TX, SENDER, OBSERVED), "03 71 " + HEADER + OBSERVED_HEX),
                pin(new ConnectRequest(TX, SENDER, KEY, V6, 7700), "03 72 " + HEADER + key + V6_HEX + "141e"),
                pin(new ConnectForwarded(TX, SENDER, OBSERVED), "03 73 " + HEADER + OBSERVED_HEX),
                pin(new Introduce(TX, SENDER, KEY, V4), "03 74 " + HEADER + key + V4_HEX),
                pin(new Introduced(TX, SENDER, OBSERVED), "03 75 " + HEADER + OBSERVED_HEX));
    }

    private static Arguments pin(Message message, String hex) {
        return Arguments.of(message, hex);
    }

    @ParameterizedTest
    @MethodSource("pinned")
    void encodesToThePinnedBytes(Message message, String hex) {
        assertEquals(hex.replace(" ", ""), HexFormat.of().formatHex(codec.encode(message)), message.toString());
    }

    @ParameterizedTest
    @MethodSource("pinned")
    void thePinnedBytesDecodeToTheMessage(Message message, String hex) {
        assertEquals(new Decoded.Ok(message), codec.decode(HexFormat.of().parseHex(hex.replace(" ", ""))));
    }
}
