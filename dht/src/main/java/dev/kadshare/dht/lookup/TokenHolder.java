package dev.kadshare.dht.lookup;

import dev.kadshare.dht.routing.Contact;
import dev.kadshare.dht.token.WriteToken;

/** A contact that answered a GET_PEERS with a write token we can announce with. */
public record TokenHolder(Contact contact, WriteToken token) {
}
