package dev.kadshare.transfer.store;

import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.content.Manifest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A download in progress on disk: verified chunks written positionally into a partial file (or, for a directory
 * share, a partial directory) in the output directory, moved into place under a free name once every chunk is
 * verified. A {@link ResumeState} sidecar records every verified chunk and names the partial file, so
 * {@link #resume} after a crash, {@link #close} or a restart continues where it stopped; at the move it names where
 * the content goes, so {@link #movedIntoPlace} knows it as the download's after a kill there.
 *
 * <p>It never replaces, truncates or writes through anything it did not create: the partial file gets a name
 * nothing has yet, the move into place takes a name nothing has ({@code x}, else {@code x (1)} ...) atomically,
 * and no file is opened through a symbolic link. Content already in place under its name, whole and verified,
 * is taken as it is instead of being downloaded again. In its own partial directory, a file of the content that
 * the user deleted or changed the length of is its own to make again ({@link #resume}).
 *
 * <p>Not thread-safe: one owner (the download's event loop) calls it, except {@link #writeData}, which a
 * hashing worker may call. Hashing happens before {@link #writeData}, on any thread. Every failure of the disk
 * is a {@link StoreFailure}.
 */
public final class ChunkStore implements AutoCloseable {
    private static final String PART_SUFFIX = ".kadshare-part";
    /** Names tried for the final file ({@code x}, {@code x (1)} ... {@code x (99)}), and for the partial file. */
    static final int NAME_ATTEMPTS = 100;

    private final Manifest manifest;
    private final Path outDir;
    private final Path partFile;
    private final ContentLayout layout;
    private final OpenFiles files;
    /** Empty for content found in place, already whole: none of it is ours, so nothing is recorded or deleted. */
    private final Optional<ResumeState> state;
    private final BitSet verified;
    private final LastStop lastStop;
    /**
     * Whether every mark is proof: left by a clean stop, hashed again since ({@link #recheck}), or none there. Only
     * then does {@link #close} say so in the sidecar; else the next resume checks the marks still.
     */
    private boolean marksProven;
    private long verifiedBytes;
    /** Moved into place or discarded: nothing is left to close. */
    private boolean over;

    private ChunkStore(Manifest manifest, Path outDir, PlacedContent part, Optional<ResumeState> state, BitSet verified,
            LastStop lastStop) {
        this.manifest = manifest;
        this.outDir = outDir;
        this.partFile = part.root();
        this.layout = part.layout();
        this.files = state.isPresent() ? new OpenFiles(layout, true) : OpenFiles.readOnly(layout);
        this.state = state;
        this.verified = verified;
        this.lastStop = lastStop;
        this.marksProven = lastStop == LastStop.CLEAN || verified.isEmpty();
        verified.stream().forEach(i -> verifiedBytes += manifest.chunkLength(i));
    }

    /**
     * Starts afresh: a new partial file (or directory) under the first of its names that nothing has, and a new
     * sidecar. Never deletes or truncates anything.
     */
    public static ChunkStore create(Manifest manifest, Path outDir) throws IOException {
        prepare(manifest, outDir, CaseProbe.probing());
        return fresh(manifest, outDir);
    }

    /** As {@link #open(Manifest, Path, CaseProbe)}, asking the file system whether it ignores case. */
    public static ChunkStore open(Manifest manifest, Path outDir) throws IOException {
        return open(manifest, outDir, CaseProbe.probing());
    }

    /**
     * The store of {@code manifest} in {@code outDir}, checked to be usable first (the directory writable, no two
     * names of a directory share one file there, given what {@code caseProbe} says). In order: the partial
     * download its sidecar names; else the content found whole in place under its name (or a numbered one),
     * verified chunk by chunk, taken as it is (complete at once, nothing written); else a partial file found
     * without its sidecar; else a fresh one. Reads and may hash everything: call it on a worker.
     *
     * @throws StoreFailure if the disk cannot take the download; retrying will not help
     */
    public static ChunkStore open(Manifest manifest, Path outDir, CaseProbe caseProbe) throws IOException {
        prepare(manifest, outDir, caseProbe);
        try {
            Optional<ChunkStore> resumed = resume(manifest.contentId(), outDir);
            if (resumed.isPresent()) {
                return resumed.get();
            }
            Optional<ChunkStore> existing = inPlace(manifest, outDir);
            if (existing.isPresent()) {
                return existing.get();
            }
            Optional<ChunkStore> adopted = adopt(manifest, outDir, caseProbe);
            return adopted.isPresent() ? adopted.get() : fresh(manifest, outDir);
        } catch (IOException | IllegalArgumentException e) { // the latter: a path that would leave the part
            throw StoreFailure.of("cannot set up the download of " + LocalName.topLevel(manifest.name()) + " in "
                    + outDir, e);
        }
    }

    /** The output directory is writable and the names of the content are all distinct there. */
    private static void prepare(Manifest manifest, Path outDir, CaseProbe caseProbe) throws StoreFailure {
        OutputDirectory.prepare(outDir);
        boolean ignoresCase;
        try {
            ignoresCase = manifest.isDirectory() && caseProbe.ignoresCase(outDir);
        } catch (IOException e) {
            throw StoreFailure.of("cannot tell whether " + outDir + " tells names apart by case", e);
        }
        Optional<String> clash = LocalName.clash(manifest, ignoresCase);
        if (clash.isPresent()) {
            throw new StoreFailure(clash.get());
        }
    }

    /**
     * The content already in place, whole: a regular file (or a directory of them) with no link on the way, of
     * the right lengths, every chunk verifying. It stays the user's: read, served, never written or deleted.
     */
    private static Optional<ChunkStore> inPlace(Manifest manifest, Path outDir) throws IOException {
        for (Path candidate : finalNames(manifest, outDir)) {
            PlacedContent there = new PlacedContent(manifest, candidate, Naming.LOCAL);
            if (!there.occupied()) {
                return Optional.empty(); // the first free name, the one the download would take
            }
            if (there.intact() && there.verifies()) {
                BitSet all = new BitSet();
                all.set(0, manifest.chunkCount());
                return Optional.of(new ChunkStore(manifest, outDir, there, Optional.empty(), all, LastStop.CLEAN));
            }
        }
        return Optional.empty();
    }

    /**
     * A partial download whose sidecar is gone or damaged: its bytes may still hold good chunks (libtorrent,
     * without resume data, checks the files it finds too). Only a partial file that is provably one of ours is
     * taken: at one of this content's part names, a regular file (or a directory of them) of exactly the
     * content's lengths, no symbolic link on the way, and named by no other content's sidecar (another content
     * of the same name and length, in progress or paused, owns it). Every chunk is marked, with an unclean stop,
     * so nothing is trusted before a {@link #recheck} keeps the chunks that hash right; only the others are
     * fetched again.
     */
    private static Optional<ChunkStore> adopt(Manifest manifest, Path outDir, CaseProbe caseProbe) throws IOException {
        if (manifest.chunkCount() == 0) {
            return Optional.empty();
        }
        Optional<Set<String>> claimed = Optional.empty(); // read only if some part is a candidate: it lists outDir
        for (String name : partNames(manifest)) {
            PlacedContent part = new PlacedContent(manifest, outDir.resolve(name), Naming.LOCAL);
            if (!part.occupied()) {
                return Optional.empty();
            }
            if (!part.intact()) {
                continue;
            }
            if (claimed.isEmpty()) {
                claimed = Optional.of(ResumeState.partsClaimedBesides(manifest.contentId(), outDir));
            }
            if (!claimedByAnother(claimed.get(), name, outDir, caseProbe)) {
                BitSet all = new BitSet();
                all.set(0, manifest.chunkCount());
                return Optional.of(new ChunkStore(manifest, outDir, part,
                        Optional.of(ResumeState.create(manifest, outDir, name, all)), all, LastStop.UNCLEAN));
            }
        }
        return Optional.empty();
    }

    /**
     * Whether {@code name} is a part another content's sidecar claims: by its very name, by one differing only in case
     * where the file system ignores case (one file there, even before the other's part exists), or by any name that is
     * the same file here.
     */
    private static boolean claimedByAnother(Set<String> claimed, String name, Path outDir, CaseProbe caseProbe)
            throws IOException {
        Path candidate = outDir.resolve(name);
        for (String other : claimed) {
            if (other.equals(name) || other.equalsIgnoreCase(name) && caseProbe.ignoresCase(outDir)) {
                return true;
            }
            Path otherPart = outDir.resolve(other);
            if (Files.exists(otherPart, LinkOption.NOFOLLOW_LINKS) && sameFile(otherPart, candidate)) {
                return true;
            }
        }
        return false;
    }

    /** A new partial file at the first free part name, once the file system has room for all of it. */
    private static ChunkStore fresh(Manifest manifest, Path outDir) throws IOException {
        String name = LocalName.topLevel(manifest.name());
        Optional<String> free = Optional.empty();
        for (String candidate : partNames(manifest)) {
            if (!Files.exists(outDir.resolve(candidate), LinkOption.NOFOLLOW_LINKS)) {
                free = Optional.of(candidate);
                break;
            }
        }
        if (free.isEmpty()) {
            throw new StoreFailure("no free name for the partial file of " + name + " in " + outDir + ": "
                    + partNames(manifest).get(0) + " and the next " + (NAME_ATTEMPTS - 1) + " are all taken");
        }
        OutputDirectory.requireSpace(outDir, manifest.length() + ResumeState.sizeFor(manifest), name);
        PlacedContent part = new PlacedContent(manifest, outDir.resolve(free.get()), Naming.LOCAL);
        ContentLayout layout = part.layout(); // path safety first: a file escaping the part directory fails here
        // The sidecar first: it claims the part's name before the part exists, so another content of the same name
        // and length never takes the new part for an orphan of its own.
        ResumeState state = ResumeState.create(manifest, outDir, free.get(), new BitSet());
        try {
            if (manifest.isDirectory()) {
                Files.createDirectory(part.root()); // fails if anything took the name meanwhile: never shared
            }
        } catch (IOException e) {
            state.delete();
            throw e;
        }
        try {
            List<Path> paths = layout.files();
            for (int i = 0; i < paths.size(); i++) {
                Path file = paths.get(i);
                Files.createDirectories(file.getParent());
                createSparse(file, layout.length(i));
            }
            return new ChunkStore(manifest, outDir, part, Optional.of(state), new BitSet(), LastStop.CLEAN);
        } catch (IOException e) {
            if (manifest.isDirectory() || !(e instanceof FileAlreadyExistsException)) {
                deleteTree(part.root()); // ours, made just now: nothing else is in it
            } // else what took the file's name meanwhile is not ours to delete
            state.delete();
            throw e;
        }
    }

    /**
     * The partial download of {@code id} in {@code outDir}, if a whole sidecar is there and the partial file it
     * names is intact (a regular file, or a directory of them, of the content's lengths, with no symbolic link
     * on the way). The manifest comes from the sidecar (it was checked against the id when first fetched, and is
     * checked again on load), so no peer is needed to know the progress. A partial directory some of whose files
     * are gone or of another length, and nothing else amiss, is resumed too: those files are made again, empty,
     * and only their chunks are lost. A sidecar that says the content was moved into place is resumed only onto a
     * part with the stamps it had then (a kill stopped the move before the rename). A sidecar whose part is neither
     * is deleted; the part, whatever it has become, is left where it is.
     */
    public static Optional<ChunkStore> resume(ContentId id, Path outDir) throws IOException {
        Optional<ResumeState.Claim> claim = ResumeState.claimFor(id, outDir);
        if (claim.isEmpty()) {
            return Optional.empty();
        }
        ContentCondition condition = ownPartCondition(claim.get(), outDir);
        if (condition instanceof ContentCondition.Unusable) {
            ResumeState.deleteFor(id, outDir);
            return Optional.empty();
        }
        Optional<ResumeState.Loaded> loaded = ResumeState.load(id, outDir);
        if (loaded.isEmpty()) {
            return Optional.empty(); // settled since it was read
        }
        ResumeState.Loaded l = loaded.get();
        PlacedContent part = new PlacedContent(l.manifest(), outDir.resolve(l.partName()), Naming.LOCAL);
        LastStop lastStop;
        if (condition instanceof ContentCondition.Damaged damaged) {
            try {
                remake(l, part.layout(), damaged.files());
            } catch (IOException e) {
                l.state().close(); // the sidecar stays for a later try (its marks of the lost files already gone)
                throw e;
            }
            // The part's stamps covered the lost files too, so they vouch for none of the others now.
            lastStop = LastStop.UNCLEAN;
        } else {
            // A part changed since its clean close (stamps differ) is checked like one after a crash.
            lastStop = l.lastStop(ContentStamps.of(part.layout()));
        }
        return Optional.of(new ChunkStore(l.manifest(), outDir, part, Optional.of(l.state()), l.verified(),
                lastStop));
    }

    /**
     * How the part a sidecar claims lies, as far as it is the download's own: {@link ContentCondition.Unusable} at a
     * name the download could not have made, and, once the sidecar records a move into place, for anything at the
     * part's name but the part as it was moved, its stamps unchanged (a kill before the rename). The move left that
     * name free: another content of the same name may have its own part there now, never to be written or deleted.
     */
    private static ContentCondition ownPartCondition(ResumeState.Claim claim, Path outDir) throws IOException {
        // A sidecar names only a part it could have made: never a path elsewhere.
        if (!partNames(claim.manifest()).contains(claim.partName())) {
            return new ContentCondition.Unusable();
        }
        PlacedContent part = new PlacedContent(claim.manifest(), outDir.resolve(claim.partName()), Naming.LOCAL);
        ContentCondition condition = part.condition();
        if (claim.move().isEmpty()) {
            return condition;
        }
        return asMoved(part, condition, claim.move().get()) ? condition : new ContentCondition.Unusable();
    }

    /** Whether {@code placed}, in {@code condition}, is whole with the stamps {@code move} recorded: as moved. */
    private static boolean asMoved(PlacedContent placed, ContentCondition condition, ResumeState.Move move)
            throws IOException {
        return condition instanceof ContentCondition.Whole
                && MessageDigest.isEqual(move.stamps(), ContentStamps.of(placed.layout()).digest());
    }

    /**
     * Makes the {@code files} of a partial directory again, empty at their lengths: while the download was stopped, the
     * user deleted them, cut them or put a file of another length in their place. Every chunk holding a byte of them
     * is unmarked first, so those are fetched again, and only those. Each is the download's own file at its own path
     * in its own part: whatever is there instead holds nothing of the content.
     */
    private static void remake(ResumeState.Loaded l, ContentLayout layout, List<Integer> files) throws IOException {
        Manifest manifest = l.manifest();
        BitSet verified = l.verified();
        for (int f : files) {
            long length = layout.length(f);
            if (length > 0) {
                int last = (int) ((layout.start(f) + length - 1) / manifest.chunkSize());
                for (int i = verified.nextSetBit((int) (layout.start(f) / manifest.chunkSize())); i >= 0 && i <= last;
                        i = verified.nextSetBit(i + 1)) {
                    l.state().unmark(i); // before the file is made again: a mark never claims its empty bytes
                    verified.clear(i);
                }
            }
        }
        for (int f : files) {
            Path file = layout.files().get(f);
            Files.deleteIfExists(file);
            Files.createDirectories(file.getParent());
            createSparse(file, layout.length(f));
        }
    }

    /**
     * Creates {@code file} at {@code length}, sparse, so chunk writes, arriving in any order, land inside the file
     * rather than extend it. CREATE_NEW: fails on anything there, a link included.
     */
    private static void createSparse(Path file, long length) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            if (length > 0) {
                ch.write(ByteBuffer.allocate(1), length - 1);
            }
        }
    }

    /**
     * How the run that left this partial download ended: after {@link LastStop#UNCLEAN} the marked chunks
     * should be {@link #recheck}ed before they are trusted (a fresh store counts as clean: nothing is marked).
     */
    public LastStop lastStop() {
        return lastStop;
    }

    /**
     * Hashes every chunk marked as verified again and unmarks those whose bytes do not match, so they are
     * fetched again. Reads the whole partial file: run it on a worker, before anything else uses the store.
     */
    public Recheck recheck() throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(manifest.chunkSize());
        int confirmed = 0;
        int discarded = 0;
        try {
            for (int i = verified.nextSetBit(0); i >= 0; i = verified.nextSetBit(i + 1)) {
                if (PlacedContent.chunkVerifies(files, manifest, i, buffer)) {
                    confirmed++;
                } else {
                    state.orElseThrow().unmark(i);
                    verified.clear(i);
                    verifiedBytes -= manifest.chunkLength(i);
                    discarded++;
                }
            }
        } catch (IOException e) {
            throw StoreFailure.of("cannot check " + partFile, e);
        }
        marksProven = true;
        return new Recheck(confirmed, discarded);
    }

    /**
     * The content of {@code id} that a download moved into place in {@code outDir}, if its sidecar is still there
     * ({@link AfterMove#KEEP_SIDECAR}) and the content is as the move left it: whole at one of its final names, with
     * the stamps it had then, its part's name gone (a part name left by a kill between the link and the unlink, a
     * second name of the very file, goes now). Anything else, its content edited or moved since say, is empty,
     * and nothing is changed.
     */
    public static Optional<MovedContent> movedIntoPlace(ContentId id, Path outDir) throws IOException {
        Optional<ResumeState.Claim> claim = ResumeState.claimFor(id, outDir);
        if (claim.isEmpty() || claim.get().move().isEmpty()) {
            return Optional.empty();
        }
        ResumeState.Move move = claim.get().move().get();
        Manifest manifest = claim.get().manifest();
        Path root = outDir.resolve(move.finalName());
        // A sidecar names only names the download could have used: never a path elsewhere.
        if (!finalNames(manifest, outDir).contains(root) || !partNames(manifest).contains(claim.get().partName())) {
            return Optional.empty();
        }
        PlacedContent there = new PlacedContent(manifest, root, Naming.LOCAL);
        if (!asMoved(there, there.condition(), move)) {
            return Optional.empty();
        }
        Path part = outDir.resolve(claim.get().partName());
        if (Files.exists(part, LinkOption.NOFOLLOW_LINKS)) {
            if (sameFile(part, root)) {
                Files.delete(part);
            } else if (!(ownPartCondition(claim.get(), outDir) instanceof ContentCondition.Unusable)) {
                return Optional.empty(); // the move did not happen: the part is still the download
            } // else another content's part took the name the move left free: not ours to touch
        }
        return Optional.of(new MovedContent(manifest, root));
    }

    /**
     * Deletes the sidecar of {@code id} in {@code outDir} if it is one of content moved into place, kept ({@link
     * AfterMove#KEEP_SIDECAR}) until the caller's own record of the completion was durable; the sidecar of a
     * download not moved yet stays.
     */
    public static void settle(ContentId id, Path outDir) throws IOException {
        if (ResumeState.moveFor(id, outDir).isPresent()) {
            ResumeState.deleteFor(id, outDir);
        }
    }

    /**
     * Deletes the partial download of {@code id} in {@code outDir}, if any: the partial file its sidecar claims, if it
     * is still the download's own (whole, or a directory with files lost; never through a link), then the sidecar.
     * Looked at without repairing anything: a file lost from a partial directory is never made again to be deleted.
     */
    public static void discard(ContentId id, Path outDir) throws IOException {
        Optional<ResumeState.Claim> claim = ResumeState.claimFor(id, outDir);
        if (claim.isPresent() && !(ownPartCondition(claim.get(), outDir) instanceof ContentCondition.Unusable)) {
            deleteTree(outDir.resolve(claim.get().partName()));
        }
        ResumeState.deleteFor(id, outDir);
    }

    /** The first name the partial file of content named {@code name} is given in {@code outDir}. */
    public static Path partFileFor(Path outDir, String name) {
        return outDir.resolve(firstPartName(name));
    }

    /** The first name the partial file of content named {@code name} is given, in its output directory. */
    static String firstPartName(String name) {
        return partName(LocalName.topLevel(name), 0);
    }

    /** The {@code n}th part name for content whose local name is {@code localName}: {@code .NAME[.n].kadshare-part}. */
    private static String partName(String localName, int n) {
        return "." + localName + (n == 0 ? "" : "." + n) + PART_SUFFIX;
    }

    /** The names a partial file of {@code manifest} may have, tried in this order. */
    private static List<String> partNames(Manifest manifest) {
        String name = LocalName.topLevel(manifest.name());
        List<String> names = new ArrayList<>(NAME_ATTEMPTS);
        for (int n = 0; n < NAME_ATTEMPTS; n++) {
            names.add(partName(name, n));
        }
        return names;
    }

    /** The final names tried, in order: the content's local name, then numbered ones, as browsers do. */
    private static List<Path> finalNames(Manifest manifest, Path outDir) {
        String name = LocalName.topLevel(manifest.name());
        List<Path> names = new ArrayList<>(NAME_ATTEMPTS);
        for (int n = 0; n < NAME_ATTEMPTS; n++) {
            names.add(outDir.resolve(n == 0 ? name : LocalName.numbered(name, n, manifest.isDirectory())));
        }
        return names;
    }

    public Manifest manifest() {
        return manifest;
    }

    /**
     * Writes the bytes of a chunk that passed {@link Manifest#verifies}, without recording it. The one
     * method that may run on any thread (a hashing worker); {@link #markStored} must follow on the owner's
     * thread once it returned.
     */
    public void writeData(int index, ByteBuffer body) throws IOException {
        try {
            files.write(manifest.chunkOffset(index), body);
        } catch (IOException e) {
            throw StoreFailure.of("cannot write " + partFile, e);
        }
    }

    /** Records chunk {@code index}, whose bytes {@link #writeData} wrote, as verified (sidecar included). */
    public WriteResult markStored(int index) throws IOException {
        if (verified.get(index)) {
            return WriteResult.ALREADY_VERIFIED;
        }
        try {
            state.orElseThrow().markVerified(index); // after the data, so the sidecar never claims bytes not there
        } catch (IOException e) {
            throw StoreFailure.of("cannot record the progress of " + partFile, e);
        }
        verified.set(index);
        verifiedBytes += manifest.chunkLength(index);
        return WriteResult.STORED;
    }

    /** Where the bytes of chunk {@code index} are in the partial file(s), for zero-copy serving. */
    public List<FileSpan> spans(int index) {
        return ContentLayout.of(manifest, partFile, Naming.LOCAL).spans(manifest.chunkOffset(index),
                manifest.chunkLength(index));
    }

    public boolean isVerified(int index) {
        return verified.get(index);
    }

    /** A copy of the verified chunks. */
    public BitSet verified() {
        return (BitSet) verified.clone();
    }

    public int verifiedCount() {
        return verified.cardinality();
    }

    public long verifiedBytes() {
        return verifiedBytes;
    }

    public boolean isComplete() {
        return verified.cardinality() == manifest.chunkCount();
    }

    /** The partial file (or directory); for content found whole in place, that content itself. */
    public Path partFile() {
        return partFile;
    }

    /** Whether the content is the download's own or was found whole in place (then it stays the user's). */
    public Placement placement() {
        return state.isPresent() ? Placement.WRITTEN : Placement.FOUND;
    }

    /** As {@link #finish(AfterMove)}, deleting the sidecar once the content is in place. */
    public Path finish() throws IOException {
        return finish(AfterMove.DELETE_SIDECAR);
    }

    /**
     * Forces the data to disk, closes the files and moves the partial file (or directory) into place under the
     * first free name ({@code name}, else {@code name (1)} ...), atomically and without replacing anything; the
     * sidecar says so before the part's own name goes, then is deleted or kept as {@code afterMove} says. Content
     * found whole in place stays where it is.
     *
     * @return where the content now is
     * @throws IllegalStateException if some chunk is not verified yet
     * @throws StoreFailure if no name is free or the move fails; the partial file then stays for a resume
     */
    public Path finish(AfterMove afterMove) throws IOException {
        return finish(afterMove, root -> { });
    }

    /**
     * As {@link #finish(AfterMove)}, telling {@code placed} where the content is the moment it is there under its
     * final name, before the part's own name goes (from the calling thread): a reader that goes by it always finds the
     * content under one name or the other.
     */
    public Path finish(AfterMove afterMove, Consumer<Path> placed) throws IOException {
        if (!isComplete()) {
            throw new IllegalStateException(verifiedCount() + " of " + manifest.chunkCount() + " chunks verified");
        }
        if (state.isEmpty()) {
            files.close();
            over = true;
            return partFile;
        }
        try {
            // Force before the move so a crash never leaves a complete-looking file with missing data.
            files.force();
            files.close();
            Path movedTo = moveIntoPlace(placed);
            over = true;
            if (afterMove == AfterMove.DELETE_SIDECAR) {
                state.get().delete();
            } else {
                state.get().close();
            }
            return movedTo;
        } catch (IOException e) {
            throw StoreFailure.of("cannot move " + partFile + " into place", e);
        }
    }

    private Path moveIntoPlace(Consumer<Path> placed) throws IOException {
        for (Path candidate : finalNames(manifest, outDir)) {
            if (manifest.isDirectory() ? claimDirectory(candidate, placed) : claimFile(candidate, placed)) {
                return candidate;
            }
        }
        String name = LocalName.topLevel(manifest.name());
        throw new StoreFailure("no free name for " + name + " in " + outDir + ": " + name + " and the next "
                + (NAME_ATTEMPTS - 1) + " numbered names are all taken");
    }

    /**
     * Moves the partial file to {@code target} unless anything is there: a hard link fails if the name is taken,
     * whatever holds it, and then, once the sidecar names the target, the part's own name goes. Where hard links are
     * not to be had (FAT, some FUSE mounts), an empty file of ours reserves the name (created exclusively) and the
     * part is renamed over it.
     */
    private boolean claimFile(Path target, Consumer<Path> placed) throws IOException {
        try {
            Files.createLink(target, partFile);
        } catch (FileAlreadyExistsException e) {
            if (!sameFile(target, partFile)) {
                return false;
            } // else a run stopped between the link and the unlink below: the name is ours already
        } catch (IOException | UnsupportedOperationException e) {
            try {
                Files.createFile(target);
            } catch (FileAlreadyExistsException taken) {
                return false;
            }
            renameOverOurOwn(target, placed);
            return true;
        }
        recordMove(target);
        placed.accept(target); // both names lead to it now, until the part's goes
        try {
            Files.delete(partFile);
        } catch (IOException e) {
            // The content is in place; the part name is only a second name of the same file, harmless.
        }
        return true;
    }

    /** A directory cannot be hard-linked: an empty directory of ours reserves the name, the part replaces it. */
    private boolean claimDirectory(Path target, Consumer<Path> placed) throws IOException {
        try {
            Files.createDirectory(target);
        } catch (FileAlreadyExistsException e) {
            return false;
        }
        renameOverOurOwn(target, placed);
        return true;
    }

    /**
     * Renames the part over {@code reserved}, which this store just created empty, once the sidecar names it; on
     * failure, removes it.
     */
    private void renameOverOurOwn(Path reserved, Consumer<Path> placed) throws IOException {
        try {
            recordMove(reserved);
            Files.move(partFile, reserved, StandardCopyOption.ATOMIC_MOVE);
            placed.accept(reserved);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(reserved);
            } catch (IOException ignored) {
                e.addSuppressed(ignored);
            }
            throw e;
        }
    }

    /**
     * Says in the sidecar that the content is at {@code target} from now on, before the part's own name goes: a kill
     * at any moment after it finds the content there as the download's own ({@link #movedIntoPlace}).
     */
    private void recordMove(Path target) throws IOException {
        ResumeState.recordMove(manifest, outDir, partFile.getFileName().toString(), target.getFileName().toString(),
                ContentStamps.of(layout));
    }

    /**
     * Closes and deletes the partial file and its sidecar: the progress is gone for good. Content found whole in
     * place is the user's and stays.
     */
    public void discard() throws IOException {
        files.close();
        over = true;
        if (state.isPresent()) {
            state.get().delete();
            deleteTree(partFile);
        }
    }

    /**
     * Forces the data to disk and closes the files, keeping the partial file and sidecar for a later
     * {@link #resume}, which can then trust the sidecar ({@link LastStop#CLEAN}); unless marks left by an unclean
     * stop were never {@linkplain #recheck checked} (the check failed, or was never run): then they still will be.
     */
    @Override
    public void close() throws IOException {
        if (over) {
            return;
        }
        if (state.isEmpty()) {
            files.close();
            return;
        }
        try {
            files.force();
            if (marksProven) {
                // only once the data it vouches for is on disk, with the part's stamps after its last write
                state.get().markClosedCleanly(ContentStamps.of(layout));
            } else {
                state.get().force(); // the stop stays unclean: stamping the part now would vouch for the unchecked
            }
        } finally {
            files.close();
            state.get().close();
        }
    }

    /** Whether two names are one file, neither of them a symbolic link (no link is followed to compare them). */
    private static boolean sameFile(Path a, Path b) throws IOException {
        Object key = Files.readAttributes(a, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        return key != null && !Files.isSymbolicLink(a)
                && key.equals(Files.readAttributes(b, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey());
    }

    /** Deletes a partial file or directory of ours; a symbolic link in it is deleted, never followed. */
    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
