package dev.jtransformers.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * The rules see only the modules on this module's classpath, so it must depend on every module of the reactor that
 * holds classes: a module added to the root pom but not here would escape them.
 */
class EveryModuleIsCheckedTest {
  /** Maven runs tests in the module's directory. */
  private static final Path THIS_MODULE = Path.of("");

  @Test
  void dependsOnEveryModuleOfTheReactor() throws Exception {
    Element thisPom = read(THIS_MODULE.resolve("pom.xml"));
    Path root = THIS_MODULE.toAbsolutePath().getParent();
    Set<String> modules = new TreeSet<>();
    for (Element module : children(child(read(root.resolve("pom.xml")), "modules"), "module")) {
      Element pom = read(root.resolve(module.getTextContent().trim()).resolve("pom.xml"));
      boolean holdsClasses = !"pom".equals(text(pom, "packaging"));
      if (holdsClasses && !text(pom, "artifactId").equals(text(thisPom, "artifactId"))) {
        modules.add(text(pom, "artifactId"));
      }
    }
    Set<String> dependencies = new TreeSet<>();
    for (Element dependency : children(child(thisPom, "dependencies"), "dependency")) {
      if ("dev.jtransformers".equals(text(dependency, "groupId"))) {
        dependencies.add(text(dependency, "artifactId"));
      }
    }

    assertEquals(modules, dependencies, "the modules of the root pom and this module's dependencies on them");
  }

  private static Element read(Path pom) throws ParserConfigurationException, SAXException, IOException {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element element && element.getTagName().equals(name)) {
        found.add(element);
      }
    }
    return found;
  }

  private static Element child(Element parent, String name) {
    List<Element> found = children(parent, name);
    if (found.size() != 1) {
      throw new AssertionError("expected one <" + name + "> in <" + parent.getTagName() + ">, found " + found.size());
    }
    return found.get(0);
  }

  /** The text of the direct child {@code name}, or "" if there is none (as for a pom that inherits its packaging). */
  private static String text(Element parent, String name) {
    List<Element> found = children(parent, name);
    return found.isEmpty() ? "" : found.get(0).getTextContent().trim();
  }
}
