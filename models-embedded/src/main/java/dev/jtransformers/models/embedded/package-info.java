/**
 * The models JTransformers runs without a download, registered as {@link dev.jtransformers.models.EmbeddedModel}s:
 * the default sentence encoder {@link dev.jtransformers.models.embedded.AllMiniLmL6V2} and the default sentiment head
 * {@link dev.jtransformers.models.embedded.AllMiniLmL6V2Sst2Head}. Depend on this module (the default pipelines do)
 * to resolve their ids; backends never need it.
 */
package dev.jtransformers.models.embedded;
