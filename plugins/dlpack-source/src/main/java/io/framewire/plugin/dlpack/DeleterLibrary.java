package io.framewire.plugin.dlpack;

import org.bytedeco.javacpp.Loader;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads {@code libjniDlpackDeleter.so}, the JNI library JavaCPP's Builder generated for
 * {@link DlpackDeleter} at build time (it holds its own copy of JavaCPP's JNI runtime, as every
 * JavaCPP-built library does), from this bundle or jar.
 *
 * <p>Why not {@code Loader.load(DlpackDeleter.class)}: a JNI library is bound to the class loader of
 * the class that calls {@code System.load}. In OSGi, {@code Loader} lives in the
 * {@code org.bytedeco.javacpp} bundle, so a library it loads would be bound to THAT bundle's class
 * loader and {@code DlpackDeleter.call} (defined by this bundle's loader) would fail with
 * {@code UnsatisfiedLinkError}; JavaCPP's usual answer is to make the classes a fragment of
 * {@code org.bytedeco.javacpp}, which a DS component bundle cannot be. Calling {@code System.load}
 * from this class binds the library to this bundle's (or the test's) class loader, the same in plain
 * Java and in Felix. The library is copied to a fresh temporary file each time a class loader loads it
 * (a JVM refuses one file in two class loaders, e.g. after a bundle refresh) and the file is removed
 * once loaded. Its {@code JNI_OnLoad} finds {@code org.bytedeco.javacpp.*} through this bundle's
 * imports.
 */
final class DeleterLibrary {
    static final String LIBRARY = "jniDlpackDeleter";
    private static boolean loaded;

    private DeleterLibrary() {
    }

    static synchronized void load() {
        if (loaded) {
            return;
        }
        String platform = Loader.getPlatform();
        String resource = platform + "/" + System.mapLibraryName(LIBRARY);
        URL url = DlpackDeleter.class.getResource(resource);
        if (url == null) {
            throw new UnsatisfiedLinkError("The DLPack deleter library " + resource + " is not in this bundle: it is built"
                    + " for linux-x86_64 only (this JVM is " + platform + ")");
        }
        try {
            Path dir = Files.createTempDirectory("framewire-dlpack-");
            Path file = dir.resolve(System.mapLibraryName(LIBRARY));
            try (InputStream in = url.openStream()) {
                Files.copy(in, file);
            }
            try {
                System.load(file.toAbsolutePath().toString());
            } finally {
                Files.deleteIfExists(file); // mapped now: the file itself is no longer needed
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            UnsatisfiedLinkError error = new UnsatisfiedLinkError("Could not extract " + resource + ": " + e);
            error.initCause(e);
            throw error;
        }
        loaded = true;
    }
}
