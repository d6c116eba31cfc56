package io.otlpgovernor.local.demo;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A screenshot of a page of the Flink dashboard, taken by headless Chromium, and whether it shows a rendered page.
 *
 * <p>The dashboard is a single-page application that draws the job graph after its REST calls return; Chromium's
 * virtual time budget lets those finish before the picture is taken. Now and then Chromium never ends a virtual
 * time budget on this page (it keeps polling): {@code --timeout} then takes the picture after 30 s of real time, and
 * the process is killed after {@value #TIMEOUT_SECONDS} s. A picture of the empty frame (taken too early) has a
 * uniform area where the graph belongs, which {@link #isRendered} detects.
 */
final class DashboardScreenshot {

    static final int WIDTH = 1600;
    static final int HEIGHT = 1400;
    private static final long TIMEOUT_SECONDS = 60;

    private DashboardScreenshot() {}

    /** Takes a screenshot of {@code url} into {@code png}; fails with Chromium's output when it cannot. */
    static BufferedImage take(String url, Path png, Path profileDir) throws IOException, InterruptedException {
        Files.deleteIfExists(png);
        Tools.Run run = Tools.run(
                List.of(
                        Tools.chromium().toString(),
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--disable-quic",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--hide-scrollbars",
                        "--user-data-dir=" + profileDir,
                        "--window-size=" + WIDTH + "," + HEIGHT,
                        "--run-all-compositor-stages-before-draw",
                        "--virtual-time-budget=10000",
                        "--timeout=30000",
                        "--screenshot=" + png,
                        url),
                Map.of(),
                TIMEOUT_SECONDS);
        if (run.exitCode() != 0 || !Files.exists(png)) {
            throw new AssertionError("Chromium could not take a screenshot of " + url + " (exit " + run.exitCode()
                    + "):\n" + Tools.tail(run.output(), 20));
        }
        BufferedImage image = ImageIO.read(png.toFile());
        if (image == null) {
            throw new AssertionError(png + " is not an image Java can read");
        }
        return image;
    }

    /**
     * Whether the area below the page header and right of the menu — where the job graph is drawn — has content: at
     * least 3 % of its pixels differ from its most common colour, in at least 50 colours.
     */
    static boolean isRendered(BufferedImage image) {
        Map<Integer, Integer> colours = new HashMap<>();
        int x0 = image.getWidth() / 5;
        int y0 = image.getHeight() * 3 / 10;
        int y1 = image.getHeight() * 8 / 10;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < image.getWidth(); x++) {
                colours.merge(image.getRGB(x, y), 1, Integer::sum);
            }
        }
        int total = (image.getWidth() - x0) * (y1 - y0);
        int dominant =
                colours.values().stream().mapToInt(Integer::intValue).max().orElse(total);
        return colours.size() >= 50 && (total - dominant) >= total * 0.03;
    }
}
