package io.framewire.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The framework settings an embedded container gets (the container itself runs in the Python suite). */
class EmbeddedFramewireTest {
    @TempDir
    Path dir;

    @Test
    void theApiPackagesComeFromTheApiJarsOwnExportsAndTheLaunchersAutoDeployIsDropped() throws Exception {
        Path home = dir.resolve("home");
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/config.properties"), """
                felix.auto.deploy.dir=bundle
                felix.auto.deploy.action=install,start
                felix.fileinstall.poll=1000
                felix.fileinstall.dir=load
                """);
        Path api = jar(home.resolve("api.jar"), "io.framewire.api;version=\"2.3.0\",io.framewire.api.spi;version=\"2.3.0\"");
        Map<String, String> props = EmbeddedFramewire.frameworkProperties(home, dir.resolve("work"), dir.resolve("plugins"), api);
        assertEquals("io.framewire.api;version=\"2.3.0\",io.framewire.api.spi;version=\"2.3.0\"",
                props.get("org.osgi.framework.system.packages.extra"));
        assertFalse(props.keySet().stream().anyMatch(k -> k.startsWith("felix.auto.")), props.toString());
        assertEquals("1000", props.get("felix.fileinstall.poll"), "the distribution's other settings stay");
        assertEquals(dir.resolve("plugins").toString(), props.get("felix.fileinstall.dir"));
        assertEquals("false", props.get("felix.fileinstall.enableConfigSave"), "the caller's folder is only read");
        assertTrue(props.get("org.osgi.framework.storage").startsWith(dir.resolve("work").toString()));
    }

    @Test
    void aJarWithoutExportsOrAFolderWithoutTheApiIsRefusedNamingThePath() throws Exception {
        Path bare = jar(dir.resolve("bare.jar"), null);
        IllegalArgumentException noExports = assertThrows(IllegalArgumentException.class, () -> EmbeddedFramewire.apiExports(bare));
        assertTrue(noExports.getMessage().startsWith("apiJar=" + bare), noExports.getMessage());
        IllegalArgumentException notHome = assertThrows(IllegalArgumentException.class,
                () -> EmbeddedFramewire.start(dir, dir.resolve("work"), null, Map.of(), 1000));
        assertTrue(notHome.getMessage().startsWith("home=" + dir + ": not a Framewire distribution"), notHome.getMessage());
    }

    private static Path jar(Path file, String exports) throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (exports != null) {
            manifest.getMainAttributes().putValue("Export-Package", exports);
        }
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }
        return file;
    }
}
