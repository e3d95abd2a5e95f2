package dev.jtransformers.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/** What the class rules can't see: the module list and the dependencies declared in the poms. */
class ModulePomsTest {
  /** What a backend may declare outside test scope, among our artifacts. */
  private static final Set<String> BACKEND_MAY_USE =
      Set.of("jtransformers-api", "jtransformers-models", "jtransformers-architectures");

  private static Element thisPom;
  /** Each module's pom, by its directory name. */
  private static Map<String, Element> modules;

  @BeforeAll
  static void readPoms() throws IOException, ParserConfigurationException, SAXException {
    Path thisModule = Path.of("").toAbsolutePath(); // Maven runs tests in the module's directory
    Path root = thisModule.getParent();
    thisPom = read(thisModule.resolve("pom.xml"));
    modules = new TreeMap<>();
    for (Element module : children(child(read(root.resolve("pom.xml")), "modules"), "module")) {
      String name = module.getTextContent().trim();
      modules.put(name, read(root.resolve(name).resolve("pom.xml")));
    }
  }

  /** The class rules see only this module's classpath: a module missing here would escape them. */
  @Test
  void thisModuleDependsOnEveryModuleThatHoldsClasses() {
    Set<String> holdingClasses = new TreeSet<>();
    for (Element pom : modules.values()) {
      if (!"pom".equals(text(pom, "packaging"))) {
        holdingClasses.add(text(pom, "artifactId"));
      }
    }
    holdingClasses.remove(text(thisPom, "artifactId"));

    assertEquals(holdingClasses, ourDependencies(thisPom, Set.of("test")));
  }

  /** A backend that declared, say, the embedded models would ship 83 MB to every executor even if no class used it. */
  @Test
  void backendsDeclareOnlyApiModelsAndArchitecturesOutsideTests() {
    List<String> backends =
        modules.keySet().stream().filter(m -> m.startsWith("backend-") && !m.equals("backend-tck")).toList();
    assertFalse(backends.isEmpty(), "no backend-* module in " + modules.keySet());
    for (String backend : backends) {
      Set<String> declared = ourDependencies(modules.get(backend), Set.of("compile", "runtime", "provided", "system"));
      assertTrue(BACKEND_MAY_USE.containsAll(declared), () -> backend + " declares " + declared);
    }
  }

  /** Our artifacts among the pom's dependencies in one of these scopes (none written is compile). */
  private static Set<String> ourDependencies(Element pom, Set<String> scopes) {
    Set<String> found = new TreeSet<>();
    for (Element dependency : children(child(pom, "dependencies"), "dependency")) {
      String scope = text(dependency, "scope").isEmpty() ? "compile" : text(dependency, "scope");
      if ("dev.jtransformers".equals(text(dependency, "groupId")) && scopes.contains(scope)) {
        found.add(text(dependency, "artifactId"));
      }
    }
    return found;
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
