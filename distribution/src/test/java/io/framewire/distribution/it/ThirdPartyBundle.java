package io.framewire.distribution.it;

import io.framewire.distribution.it.thirdparty.SolidColorSource;
import io.framewire.distribution.it.thirdparty.ThirdPartyActivator;
import org.ops4j.pax.tinybundles.TinyBundles;
import org.osgi.framework.Constants;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Packs {@link SolidColorSource} and {@link ThirdPartyActivator} into a bundle of their own with
 * TinyBundles, as a third party would ship a source: it imports only the published API. Runs on the
 * Pax Exam driver side (TinyBundles is not in the container), from {@code @Configuration}.
 */
final class ThirdPartyBundle {
    static final String SYMBOLIC_NAME = "com.example.framewire.solidcolour";

    private ThirdPartyBundle() {
    }

    static void write(Path jar) throws IOException {
        try (InputStream in = TinyBundles.bundle()
                .addClass(SolidColorSource.class)
                .addClass(ThirdPartyActivator.class)
                .setHeader(Constants.BUNDLE_MANIFESTVERSION, "2")
                .setHeader(Constants.BUNDLE_SYMBOLICNAME, SYMBOLIC_NAME)
                .setHeader(Constants.BUNDLE_VERSION, "1.0.0")
                .setHeader(Constants.BUNDLE_ACTIVATOR, ThirdPartyActivator.class.getName())
                // Its own package stays private: the copy inside the Pax Exam probe is never used.
                .setHeader(Constants.IMPORT_PACKAGE, "io.framewire.api;version=\"[2.0,3)\","
                        + "io.framewire.api.spi;version=\"[2.0,3)\",org.osgi.framework;version=\"[1.8,2)\"")
                .build(TinyBundles.rawBuilder())) {
            Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
