package dev.jtransformers.tokenizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The character classes and mappings of Hugging Face {@code tokenizers}, per code point.
 *
 * <p>They come from {@code character-tables.txt}, which {@code UnicodeTablesGenerator} (test sources) derives
 * from the Rust tokenizer itself. {@link Character}'s tables follow the JDK's Unicode version; the Rust ones
 * are frozen in old crates (e.g. code points unassigned in their Unicode version count as control characters and
 * are removed), so the JDK's must not be used by components that must match Hugging Face. Loaded once; immutable
 * afterwards.
 */
public final class CharacterTables {
  /** Removed by {@code clean_text}: Cc, Cf, Co, Cs and code points unassigned in the old Unicode version. */
  public static final int CONTROL = 1;
  /** Turned into a space by {@code clean_text}. */
  public static final int WHITESPACE = 1 << 1;
  /** Where BertPreTokenizer and WhitespaceSplit split ({@code char::is_whitespace}). */
  public static final int SPLIT_WHITESPACE = 1 << 2;
  /** Isolated by BertPreTokenizer: ASCII punctuation and the Unicode P* categories. */
  public static final int PUNCTUATION = 1 << 3;
  /** Surrounded by spaces by {@code handle_chinese_chars}. */
  public static final int CHINESE = 1 << 4;
  /** Removed by {@code strip_accents} after NFD (category Mn). */
  public static final int NONSPACING_MARK = 1 << 5;
  /** The regular expression class {@code \w}, for single-word added tokens. */
  public static final int WORD = 1 << 6;
  /** Has a lowercase mapping other than itself. */
  public static final int LOWERCASE = 1 << 7;
  /** Has a canonical decomposition. */
  public static final int DECOMPOSES = 1 << 8;
  /** Has a non-zero canonical combining class. */
  public static final int NON_STARTER = 1 << 9;

  private static final String RESOURCE = "character-tables.txt";
  private static final int BLOCK_BITS = 8;
  private static final int BLOCK_SIZE = 1 << BLOCK_BITS;

  private static final int HANGUL_S_BASE = 0xAC00;
  private static final int HANGUL_L_BASE = 0x1100;
  private static final int HANGUL_V_BASE = 0x1161;
  private static final int HANGUL_T_BASE = 0x11A7;
  private static final int HANGUL_V_COUNT = 21;
  private static final int HANGUL_T_COUNT = 28;
  private static final int HANGUL_S_COUNT = 19 * HANGUL_V_COUNT * HANGUL_T_COUNT;

  // Two-level table: blockIndex[cp >> 8] is the offset of the code point's 256-entry block in blockFlags.
  private static final int[] BLOCK_INDEX;
  private static final short[] BLOCK_FLAGS;
  /** Single-code-point lowercase of BMP characters (0 = see LOWERCASE_MAP). */
  private static final char[] BMP_LOWERCASE = new char[Character.MAX_VALUE + 1];
  private static final Map<Integer, int[]> LOWERCASE_MAP = new HashMap<>();
  private static final Map<Integer, int[]> DECOMPOSITION_MAP = new HashMap<>();
  private static final Map<Integer, Integer> COMBINING_CLASS = new HashMap<>();

  static {
    short[] flags = new short[Character.MAX_CODE_POINT + 1];
    try (InputStream in = CharacterTables.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE + " next to " + CharacterTables.class);
      }
      read(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), flags);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
    for (int s = HANGUL_S_BASE; s < HANGUL_S_BASE + HANGUL_S_COUNT; s++) {
      flags[s] |= DECOMPOSES;
    }
    // Deduplicate the 256-entry blocks: most of the code space shares a handful of them.
    int blocks = flags.length / BLOCK_SIZE;
    BLOCK_INDEX = new int[blocks];
    Map<String, Integer> seen = new HashMap<>();
    List<short[]> unique = new ArrayList<>();
    char[] chars = new char[BLOCK_SIZE];
    for (int b = 0; b < blocks; b++) {
      short[] block = Arrays.copyOfRange(flags, b * BLOCK_SIZE, (b + 1) * BLOCK_SIZE);
      for (int i = 0; i < BLOCK_SIZE; i++) {
        chars[i] = (char) block[i];
      }
      String key = new String(chars); // a cheap hashable copy of the block
      Integer index = seen.get(key);
      if (index == null) {
        index = unique.size() * BLOCK_SIZE;
        seen.put(key, index);
        unique.add(block);
      }
      BLOCK_INDEX[b] = index;
    }
    BLOCK_FLAGS = new short[unique.size() * BLOCK_SIZE];
    for (int i = 0; i < unique.size(); i++) {
      System.arraycopy(unique.get(i), 0, BLOCK_FLAGS, i * BLOCK_SIZE, BLOCK_SIZE);
    }
    for (int c = 0; c <= Character.MAX_VALUE; c++) {
      int[] lower = LOWERCASE_MAP.get(c);
      BMP_LOWERCASE[c] = lower == null ? (char) c : lower.length == 1 && lower[0] <= Character.MAX_VALUE ? (char) lower[0] : 0;
    }
  }

  private CharacterTables() {}

  private static void read(BufferedReader reader, short[] flags) throws IOException {
    String section = null;
    String line;
    while ((line = reader.readLine()) != null) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("@")) {
        section = line.substring(1);
        continue;
      }
      String[] fields = line.split(" ");
      int cp = Integer.parseInt(fields[0].split("-")[0], 16);
      switch (section) {
        case "lowercase" -> {
          LOWERCASE_MAP.put(cp, codePoints(fields));
          flags[cp] |= LOWERCASE;
        }
        case "decomposition" -> {
          DECOMPOSITION_MAP.put(cp, codePoints(fields));
          flags[cp] |= DECOMPOSES;
        }
        case "combining-class" -> {
          COMBINING_CLASS.put(cp, Integer.parseInt(fields[1], 16));
          flags[cp] |= NON_STARTER;
        }
        default -> {
          int flag = setFlag(section);
          int last = fields[0].contains("-") ? Integer.parseInt(fields[0].split("-")[1], 16) : cp;
          for (int c = cp; c <= last; c++) {
            flags[c] |= flag;
          }
        }
      }
    }
  }

  private static int setFlag(String section) {
    return switch (section) {
      case "control" -> CONTROL;
      case "whitespace" -> WHITESPACE;
      case "split-whitespace" -> SPLIT_WHITESPACE;
      case "punctuation" -> PUNCTUATION;
      case "chinese" -> CHINESE;
      case "nonspacing-mark" -> NONSPACING_MARK;
      case "word" -> WORD;
      default -> throw new IllegalStateException("unknown section @" + section + " in " + RESOURCE);
    };
  }

  private static int[] codePoints(String[] fields) {
    int[] cps = new int[fields.length - 1];
    for (int i = 1; i < fields.length; i++) {
      cps[i - 1] = Integer.parseInt(fields[i], 16);
    }
    return cps;
  }

  /** The flags of a code point, a combination of this class's constants. */
  public static int flags(int cp) {
    return BLOCK_FLAGS[BLOCK_INDEX[cp >>> BLOCK_BITS] + (cp & (BLOCK_SIZE - 1))];
  }

  /** Whether a code point has {@code flag}, one of this class's constants. */
  public static boolean has(int cp, int flag) {
    return (flags(cp) & flag) != 0;
  }

  /**
   * The lowercase of a code point as Rust's {@code char::to_lowercase} gives it (no context, so no final sigma),
   * or {@code 0} when it is more than one code point; see {@link #lowercaseOf(int)}.
   */
  public static int simpleLowercase(int cp) {
    if (cp <= Character.MAX_VALUE) {
      return BMP_LOWERCASE[cp];
    }
    int[] lower = LOWERCASE_MAP.get(cp);
    return lower == null ? cp : lower.length == 1 ? lower[0] : 0;
  }

  /** The full lowercase mapping of a code point with {@link #LOWERCASE} set. */
  public static int[] lowercaseOf(int cp) {
    return LOWERCASE_MAP.get(cp);
  }

  /** The full canonical decomposition of a code point with {@link #DECOMPOSES} set. */
  public static int[] decompositionOf(int cp) {
    return isHangulSyllable(cp) ? decomposeHangulSyllable(cp) : DECOMPOSITION_MAP.get(cp);
  }

  /** A rank ordering like the canonical combining class of a code point with {@link #NON_STARTER} set. */
  public static int combiningClass(int cp) {
    return COMBINING_CLASS.get(cp);
  }

  /** Whether a code point is a precomposed Hangul syllable, whose decomposition is computed, not tabled. */
  public static boolean isHangulSyllable(int cp) {
    return cp >= HANGUL_S_BASE && cp < HANGUL_S_BASE + HANGUL_S_COUNT;
  }

  /** The Unicode algorithm for Hangul syllables, which the table generator checks against Rust. */
  public static int[] decomposeHangulSyllable(int cp) {
    int s = cp - HANGUL_S_BASE;
    int l = HANGUL_L_BASE + s / (HANGUL_V_COUNT * HANGUL_T_COUNT);
    int v = HANGUL_V_BASE + (s % (HANGUL_V_COUNT * HANGUL_T_COUNT)) / HANGUL_T_COUNT;
    int t = HANGUL_T_BASE + s % HANGUL_T_COUNT;
    return t == HANGUL_T_BASE ? new int[] {l, v} : new int[] {l, v, t};
  }
}
