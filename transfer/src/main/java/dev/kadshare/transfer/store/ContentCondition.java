package dev.kadshare.transfer.store;

import java.util.List;

/** How a content's files lie at its root ({@link PlacedContent#condition}): what may be written into, and what is lost. */
sealed interface ContentCondition {
    /** Every file there, a regular file of its length, with no symbolic link on its way from the root. */
    record Whole() implements ContentCondition {
    }

    /**
     * A directory whose files are all whole but {@code files} (indices into the layout's files, in order): each gone
     * or a regular file of another length (deleted, cut or replaced), with no link on its way and nothing but
     * directories above it.
     */
    record Damaged(List<Integer> files) implements ContentCondition {
    }

    /**
     * Nothing at the root, a root of another kind or length, a symbolic link on the way, or something that is not a
     * regular file where a file belongs: not the content, nothing to write into.
     */
    record Unusable() implements ContentCondition {
    }
}
