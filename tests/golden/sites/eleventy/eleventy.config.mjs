import markdownIt from "markdown-it";

const markdown = markdownIt({ html: true });

export default function (eleventyConfig) {
  // Drafts (WordPress drafts, pending and scheduled posts) are shown by `eleventy --serve`
  // and left out of a build.
  eleventyConfig.addPreprocessor("drafts", "*", (data) => {
    if (data.draft && process.env.ELEVENTY_RUN_MODE === "build") {
      return false;
    }
  });
  eleventyConfig.addGlobalData("layout", "item.njk");
  eleventyConfig.addFilter("markdown", (text) => markdown.render(String(text ?? "")));
  eleventyConfig.addFilter("dateText", (date) =>
    new Date(date).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" }),
  );
  eleventyConfig.addCollection("items", (api) =>
    api.getAll().filter((item) => item.data.wordpress_id !== undefined),
  );
  eleventyConfig.ignores.add("node_modules/**");
  eleventyConfig.ignores.add("_site/**");
  eleventyConfig.addPassthroughCopy("_redirects");
  return { dir: { input: ".", includes: "_includes", data: "_data", output: "_site" } };
}
