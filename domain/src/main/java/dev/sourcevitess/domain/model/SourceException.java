package dev.sourcevitess.domain.model;

import java.util.Objects;

/**
 * A failure with a one-line message a user can act on and the technical detail beside it.
 * Messages never carry the password: adapters build them from what they know, not from the config.
 */
public class SourceException extends RuntimeException {
  private final FailureType failureType;
  private final String detail;

  public SourceException(FailureType failureType, String message, String detail, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.failureType = Objects.requireNonNull(failureType, "failureType");
    this.detail = detail == null ? "" : detail;
  }

  public SourceException(FailureType failureType, String message, String detail) {
    this(failureType, message, detail, null);
  }

  public static SourceException config(String message) {
    return new SourceException(FailureType.CONFIG_ERROR, message, "");
  }

  public FailureType failureType() {
    return failureType;
  }

  /** What went wrong underneath, for {@code internal_message}; may be empty. */
  public String detail() {
    return detail;
  }
}
