package io.framewire.distribution.it;

import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.options.UrlProvisionOption;
import org.osgi.framework.Constants;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import static org.ops4j.pax.exam.CoreOptions.bundle;

/** What the distribution's Pax Exam tests share on the driver side: the shipped bundles, properties, ports. */
final class ShippedBundles {
    /** The runtime bundle: installed, started by the tests once its configuration exists. */
    static final String RUNTIME_BSN = "io.framewire.runtime";

    private ShippedBundles() {
    }

    /**
     * @return one provisioning option per jar of the distribution's {@code bundle/} (the system property
     *         {@code framewire.bundle.dir}), in name order; fragments and the runtime are not started
     */
    static List<Option> provision() throws IOException {
        File bundleDir = bundleDir();
        File[] jars = bundleDir.listFiles((dir, name) -> name.endsWith(".jar"));
        if (jars == null || jars.length == 0) {
            throw new IllegalStateException("No bundles in " + bundleDir + ": run the package phase first");
        }
        Arrays.sort(jars);
        List<Option> options = new ArrayList<>();
        for (File jar : jars) {
            UrlProvisionOption option = bundle(jar.toURI().toString());
            Manifest manifest;
            try (JarFile jf = new JarFile(jar)) {
                manifest = jf.getManifest();
            }
            String bsn = String.valueOf(manifest.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME));
            boolean fragment = manifest.getMainAttributes().getValue(Constants.FRAGMENT_HOST) != null;
            if (fragment || bsn.equals(RUNTIME_BSN) || bsn.startsWith(RUNTIME_BSN + ";")) {
                option.noStart(); // fragments cannot start; the runtime starts once it is configured
            }
            options.add(option);
        }
        return options;
    }

    /** @return the distribution's {@code bundle/} folder (the system property {@code framewire.bundle.dir}) */
    static File bundleDir() throws IOException {
        return new File(requiredProperty("framewire.bundle.dir")).getCanonicalFile();
    }

    /** @return the system property {@code key}, which failsafe sets (see the pom) */
    static String requiredProperty(String key) {
        String value = System.getProperty(key);
        if (value == null) {
            throw new IllegalStateException("System property " + key + " is not set (failsafe sets it in the pom)");
        }
        return value;
    }

    /** @return a TCP port free right now */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
