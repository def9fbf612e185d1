package org.secondgrid.settlement.chain;

/** A JSON-RPC call failed or the node answered with an error; the outbox keeps its state and retries later. */
public class ChainException extends RuntimeException {
    public ChainException(String message) {
        super(message);
    }

    public ChainException(String message, Throwable cause) {
        super(message, cause);
    }
}
