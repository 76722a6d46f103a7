package dev.tokensink.store.pg;

import dev.tokensink.store.StoreException;

/**
 * A compare-and-set on a row's fencing version failed: the row changed in the database after this
 * replica read it, so this write was refused rather than overwrite newer data (e.g. a refreshed
 * credential written by another replica after this one stalled past its lock). Nothing of the
 * refused write was applied. Re-read and decide again.
 */
public final class StaleWriteException extends StoreException {
  public StaleWriteException(String message) {
    super(message);
  }
}
