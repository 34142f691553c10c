package dev.kadshare.simulation.scenario;

/**
 * A run whose figures would describe something other than what was asked: not every node joined, or a
 * phase ran out of its time. Thrown unless the run was allowed to be partial ({@code --allow-partial}).
 */
public final class IncompleteRunException extends RuntimeException {
    public IncompleteRunException(String message) {
        super(message);
    }
}
