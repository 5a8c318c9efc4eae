package dev.sourcevitess.domain.model;

import java.util.Objects;

/** A password: its value is only ever handed to a driver, and it prints as stars. */
public record Secret(String value) {
  public static final String MASK = "******";
  /**
   * Shorter passwords are letters that occur inside ordinary words ("a", "pass", "connect"):
   * masked only where they stand alone, or every message would turn to "us******r nam******".
   */
  static final int MASK_INSIDE_WORDS_FROM = 8;

  public Secret {
    Objects.requireNonNull(value, "value");
  }

  /** True when the password is short enough to be part of a word, so {@link #maskIn} leaves it there. */
  private boolean maskedOnlyAsWord() {
    return value.length() < MASK_INSIDE_WORDS_FROM;
  }

  /**
   * {@code text} with the password replaced by {@link #MASK} wherever it stands as a value: every
   * occurrence of a long password, and occurrences of a short one that no letter or digit touches.
   */
  public String maskIn(String text) {
    if (text == null || value.isEmpty()) {
      return text;
    }
    if (!maskedOnlyAsWord()) {
      return text.replace(value, MASK);
    }
    StringBuilder out = null;
    int copied = 0;
    for (int at = text.indexOf(value); at >= 0; at = text.indexOf(value, at + 1)) {
      int end = at + value.length();
      if (at < copied || joinsWord(text, at - 1, 0) || joinsWord(text, end, value.length() - 1)) {
        continue;
      }
      if (out == null) {
        out = new StringBuilder(text.length());
      }
      out.append(text, copied, at).append(MASK);
      copied = end;
    }
    return out == null ? text : out.append(text, copied, text.length()).toString();
  }

  /** Whether the character at {@code i} of the text continues a word that the password's {@code edge} is part of. */
  private boolean joinsWord(String text, int i, int edge) {
    return i >= 0 && i < text.length() && Character.isLetterOrDigit(text.charAt(i))
        && Character.isLetterOrDigit(value.charAt(edge));
  }

  @Override
  public String toString() {
    return MASK;
  }
}
