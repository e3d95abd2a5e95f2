package dev.jtransformers.api;

import java.util.Objects;

/**
 * How to encode: special tokens, truncation, overflow windows and padding, with the meaning of the arguments of
 * Python {@code transformers}' tokenizer call. Arguments given here always win over a {@code tokenizer.json}'s own
 * padding and truncation sections.
 *
 * <p>Immutable; build with {@link #builder()}. The defaults ({@link #DEFAULT}) add special tokens, do not
 * truncate and do not pad.
 */
public final class EncodeOptions {
  /** Add special tokens, no truncation, no padding. */
  public static final EncodeOptions DEFAULT = builder().build();

  /** Which sequence(s) truncation shortens. */
  public enum Truncation {
    /** Never truncate. */
    NONE,
    /** Remove one token at a time from the longer sequence (Python's {@code longest_first}). */
    LONGEST_FIRST,
    /** Truncate only the first sequence. */
    ONLY_FIRST,
    /** Truncate only the second sequence of a pair. */
    ONLY_SECOND
  }

  /** How to pad. */
  public enum Padding {
    /** No padding. */
    NONE,
    /** Pad every encoding of a batch to the longest one. */
    LONGEST,
    /** Pad to {@code maxLength}. */
    MAX_LENGTH
  }

  /** Which end truncation removes from, or padding adds to. */
  public enum Side {
    LEFT,
    RIGHT
  }

  private final boolean addSpecialTokens;
  private final Truncation truncation;
  private final int maxLength;
  private final int stride;
  private final Side truncationSide;
  private final Padding padding;
  private final int padToMultipleOf;
  private final Side paddingSide;

  private EncodeOptions(Builder b) {
    this.addSpecialTokens = b.addSpecialTokens;
    this.truncation = b.truncation;
    this.maxLength = b.maxLength;
    this.stride = b.stride;
    this.truncationSide = b.truncationSide;
    this.padding = b.padding;
    this.padToMultipleOf = b.padToMultipleOf;
    this.paddingSide = b.paddingSide;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options, to change some. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.addSpecialTokens = addSpecialTokens;
    b.truncation = truncation;
    b.maxLength = maxLength;
    b.stride = stride;
    b.truncationSide = truncationSide;
    b.padding = padding;
    b.padToMultipleOf = padToMultipleOf;
    b.paddingSide = paddingSide;
    return b;
  }

  /** Whether {@code [CLS]}/{@code [SEP]} (the model's template) are added. */
  public boolean addSpecialTokens() {
    return addSpecialTokens;
  }

  public Truncation truncation() {
    return truncation;
  }

  /** The maximum length for truncation and {@link Padding#MAX_LENGTH}, or 0 when unset. */
  public int maxLength() {
    return maxLength;
  }

  /** Tokens that consecutive overflow windows share. */
  public int stride() {
    return stride;
  }

  public Side truncationSide() {
    return truncationSide;
  }

  public Padding padding() {
    return padding;
  }

  /** Pad lengths up to a multiple of this (0 = off). */
  public int padToMultipleOf() {
    return padToMultipleOf;
  }

  public Side paddingSide() {
    return paddingSide;
  }

  @Override
  public String toString() {
    return "EncodeOptions{addSpecialTokens=" + addSpecialTokens + ", truncation=" + truncation
        + ", maxLength=" + maxLength + ", stride=" + stride + ", truncationSide=" + truncationSide
        + ", padding=" + padding + ", padToMultipleOf=" + padToMultipleOf + ", paddingSide=" + paddingSide + "}";
  }

  /** Builds {@link EncodeOptions}; {@link #build()} checks that the options fit together. */
  public static final class Builder {
    private boolean addSpecialTokens = true;
    private Truncation truncation = Truncation.NONE;
    private int maxLength;
    private int stride;
    private Side truncationSide = Side.RIGHT;
    private Padding padding = Padding.NONE;
    private int padToMultipleOf;
    private Side paddingSide = Side.RIGHT;

    private Builder() {}

    public Builder addSpecialTokens(boolean addSpecialTokens) {
      this.addSpecialTokens = addSpecialTokens;
      return this;
    }

    public Builder truncation(Truncation truncation) {
      this.truncation = Objects.requireNonNull(truncation, "truncation");
      return this;
    }

    /** Sets the maximum length; must be positive. */
    public Builder maxLength(int maxLength) {
      if (maxLength <= 0) {
        throw new IllegalArgumentException("maxLength must be positive, got " + maxLength);
      }
      this.maxLength = maxLength;
      return this;
    }

    public Builder stride(int stride) {
      if (stride < 0) {
        throw new IllegalArgumentException("stride must not be negative, got " + stride);
      }
      this.stride = stride;
      return this;
    }

    public Builder truncationSide(Side side) {
      this.truncationSide = Objects.requireNonNull(side, "truncationSide");
      return this;
    }

    public Builder padding(Padding padding) {
      this.padding = Objects.requireNonNull(padding, "padding");
      return this;
    }

    public Builder padToMultipleOf(int multiple) {
      if (multiple < 0) {
        throw new IllegalArgumentException("padToMultipleOf must not be negative, got " + multiple);
      }
      this.padToMultipleOf = multiple;
      return this;
    }

    public Builder paddingSide(Side side) {
      this.paddingSide = Objects.requireNonNull(side, "paddingSide");
      return this;
    }

    /**
     * @throws IllegalArgumentException if truncation or {@link Padding#MAX_LENGTH} is asked for without a
     *     {@code maxLength}
     */
    public EncodeOptions build() {
      if (truncation != Truncation.NONE && maxLength == 0) {
        throw new IllegalArgumentException("truncation " + truncation + " needs a maxLength");
      }
      if (padding == Padding.MAX_LENGTH && maxLength == 0) {
        throw new IllegalArgumentException("padding MAX_LENGTH needs a maxLength");
      }
      return new EncodeOptions(this);
    }
  }
}
