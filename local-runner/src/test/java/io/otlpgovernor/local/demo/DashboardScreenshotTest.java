package io.otlpgovernor.local.demo;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DashboardScreenshotTest {

    @Test
    void aPageWhoseGraphAreaIsEmptyIsNotRendered() {
        BufferedImage frameOnly = image();
        Graphics2D g = frameOnly.createGraphics();
        // The menu and header are drawn before the graph: they alone do not count.
        g.setColor(new Color(0x001529));
        g.fillRect(0, 0, DashboardScreenshot.WIDTH / 6, DashboardScreenshot.HEIGHT);
        g.dispose();

        assertThat(DashboardScreenshot.isRendered(frameOnly)).isFalse();
    }

    @Test
    void aPageWithAGraphIsRendered() {
        BufferedImage graph = image();
        Graphics2D g = graph.createGraphics();
        // Nodes and edges, in the many shades anti-aliased drawing gives.
        for (int i = 0; i < 60; i++) {
            g.setColor(new Color(0x40 + i, 0x90 + i, 0xff));
            g.fillRect(400 + (i % 12) * 90, 350 + (i / 12) * 80, 60, 40);
            g.setColor(new Color(i * 4, i * 4, i * 4));
            g.drawLine(430 + (i % 12) * 90, 390, 700, 700 - i * 3);
        }
        g.dispose();

        assertThat(DashboardScreenshot.isRendered(graph)).isTrue();
    }

    private static BufferedImage image() {
        BufferedImage image =
                new BufferedImage(DashboardScreenshot.WIDTH, DashboardScreenshot.HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(0xf0f2f5));
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.dispose();
        return image;
    }
}
