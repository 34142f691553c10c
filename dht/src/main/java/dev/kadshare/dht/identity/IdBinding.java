package dev.kadshare.dht.identity;

/** Whether a node holds others to the {@link IdRule}. */
public enum IdBinding {
    /** Answers count only from a node whose id its key and address give: every real node. */
    ENFORCED,
    /** Ids are whatever a node says (answers are still authenticated by the key they carry): simulations of free ids, tests of ids placed by hand. */
    NOT_CHECKED
}
