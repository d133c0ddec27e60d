"""A new site around the content (``-O site=new``): the generator's own configuration and
a few plain layouts that list the posts and show each one with its comments.

The layouts are files in ``sites/<preset>/``, copied as they are; the configuration is
made here, from what the export says of the site. Each layout marks a post's page with
``data-wordpress-id`` and each comment with ``data-comment-id``, so a built site can be
checked against its export.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from urllib.parse import urlsplit

import tomli_w
import yaml

from ...records import Site

__all__ = ["site_files", "SITE_PRESETS"]

#: The presets that have a site to put around their content.
SITE_PRESETS = ("hugo", "jekyll", "eleventy", "astro")

#: The npm packages an Eleventy or Astro site needs, at the versions it was built with.
ELEVENTY_PACKAGES = {"@11ty/eleventy": "^3.1.8", "markdown-it": "^14.3.3"}
ASTRO_PACKAGES = {"astro": "^6.0.5", "@astrojs/markdown-remark": "^7.0.0"}


def site_files(
    preset: str,
    site: Site | None,
    *,
    collections: Iterable[str] = (),
    passthrough: Iterable[str] = (),
) -> list[tuple[str, bytes]]:
    """The files of a new site for ``preset``, to be written beside the content.

    ``collections`` are the content folders written (Astro makes a collection of each);
    ``passthrough`` the files and folders to be served as they are (Eleventy copies
    them)."""
    about = _About.of(site)
    files = _copied(preset)
    match preset:
        case "hugo":
            files.append(("hugo.toml", _hugo_config(about)))
        case "jekyll":
            files.append(("_config.yml", _jekyll_config(about, passthrough)))
        case "eleventy":
            files.append(("eleventy.config.mjs", _eleventy_config(passthrough)))
            files.append(("_data/site.json", _json(asdict(about))))
            files.append(("package.json", _package_json(about, ELEVENTY_PACKAGES, "eleventy")))
        case "astro":
            files.append(("astro.config.mjs", _astro_config(about)))
            files.append(("src/content.config.ts", _astro_collections(collections)))
            files.append(("src/site.json", _json(asdict(about))))
            files.append(("package.json", _package_json(about, ASTRO_PACKAGES, "astro")))
    return sorted(files)


@dataclass(frozen=True)
class _About:
    """What the export says of the site, as plain text."""

    title: str
    url: str
    description: str
    language: str

    @classmethod
    def of(cls, site: Site | None) -> _About:
        site = site or Site()
        parts = urlsplit(site.link or site.base_blog_url or "")
        # Links between posts are written from the root: the site is served there.
        url = f"{parts.scheme}://{parts.netloc}/" if parts.scheme and parts.netloc else "/"
        return cls(
            title=html.unescape(site.title).strip() or "My site",
            url=url,
            description=html.unescape(site.description).strip(),
            language=site.language.strip() or "en",
        )


def _copied(preset: str) -> list[tuple[str, bytes]]:
    root = resources.files(__package__).joinpath("sites", preset)
    return [(relative, data) for relative, data in _walk(root, "")]


def _walk(folder: Traversable, prefix: str) -> Iterable[tuple[str, bytes]]:
    for entry in folder.iterdir():
        relative = f"{prefix}{entry.name}"
        if entry.is_dir():
            yield from _walk(entry, relative + "/")
        else:
            yield relative, entry.read_bytes()


def _json(value: object) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode()


def _hugo_config(about: _About) -> bytes:
    config: dict[str, object] = {
        "baseURL": about.url,
        "title": about.title,
        # WordPress's status decides what is published, not the date.
        "buildFuture": True,
        "buildExpired": True,
        # The language goes in params: Hugo's own key for it changed name (languageCode,
        # then locale in 0.158), and a site should build on either side of that.
        "params": {"description": about.description, "language": about.language},
        "taxonomies": {"category": "categories", "tag": "tags"},
        # Hugo leaves out the HTML in Markdown unless told: embeds, tables with merged
        # cells and forms would be lost.
        "markup": {"goldmark": {"renderer": {"unsafe": True}}},
    }
    return tomli_w.dumps(config).encode()


def _jekyll_config(about: _About, passthrough: Iterable[str]) -> bytes:
    config = {
        "title": about.title,
        "description": about.description,
        "url": about.url.rstrip("/"),
        "lang": about.language,
        "markdown": "kramdown",
        "plugins": ["jekyll-redirect-from"],
        # Jekyll leaves out files starting with _ or . unless included.
        "include": sorted(p for p in passthrough if p.startswith(("_", "."))),
        "exclude": ["package.json", "node_modules", "vendor"],
        "future": True,
    }
    if not config["include"]:
        del config["include"]
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False).encode()


def _eleventy_config(passthrough: Iterable[str]) -> bytes:
    copied = "".join(
        f"  eleventyConfig.addPassthroughCopy({json.dumps(p)});\n" for p in sorted(passthrough)
    )
    return (_ELEVENTY_CONFIG.replace("//PASSTHROUGH\n", copied)).encode()


_ELEVENTY_CONFIG = """\
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
//PASSTHROUGH
  return { dir: { input: ".", includes: "_includes", data: "_data", output: "_site" } };
}
"""


def _astro_config(about: _About) -> bytes:
    site = about.url if about.url != "/" else None
    line = f"  site: {json.dumps(site)},\n" if site else ""
    return (
        'import { defineConfig } from "astro/config";\n\n'
        "export default defineConfig({\n" + line + '  trailingSlash: "ignore",\n});\n'
    ).encode()


def _astro_collections(collections: Iterable[str]) -> bytes:
    names = sorted(set(collections)) or ["posts"]
    defined = "".join(
        f"  {json.dumps(name)}: defineCollection({{\n"
        f'    loader: glob({{ pattern: "**/*.md", base: {json.dumps("./src/content/" + name)}, '
        'generateId: ({ entry }) => entry.replace(/\\.md$/, "") }),\n'
        "    schema: item,\n"
        "  }),\n"
        for name in names
    )
    return (_ASTRO_COLLECTIONS + "export const collections = {\n" + defined + "};\n").encode()


_ASTRO_COLLECTIONS = """\
import { defineCollection } from "astro:content";
import { glob } from "astro/loaders";
import { z } from "astro/zod";

// Every field wpmigrate writes; fields added with -O fields= pass through.
const comment = z.looseObject({
  id: z.union([z.number(), z.string()]).nullish(),
  author: z.string().nullish(),
  author_url: z.string().nullish(),
  date: z.coerce.date().nullish(),
  content: z.string().nullish(),
  get replies() {
    return z.array(comment).optional();
  },
});

const item = z.looseObject({
  title: z.string(),
  pubDate: z.coerce.date().optional(),
  updatedDate: z.coerce.date().optional(),
  permalink: z.string(),
  draft: z.boolean().optional(),
  author: z.string().optional(),
  categories: z.array(z.string()).optional(),
  tags: z.array(z.string()).optional(),
  taxonomies: z.record(z.string(), z.array(z.string())).optional(),
  description: z.string().optional(),
  heroImage: z.string().optional(),
  wordpress_id: z.union([z.number(), z.string()]).optional(),
  comments: z.array(comment).optional(),
});

"""


def _package_json(about: _About, packages: dict[str, str], builder: str) -> bytes:
    return _json(
        {
            "name": "site",
            "private": True,
            "type": "module",
            "description": about.title,
            "scripts": {
                "build": "eleventy" if builder == "eleventy" else "astro build",
                "start": "eleventy --serve" if builder == "eleventy" else "astro dev",
            },
            "dependencies": packages,
        }
    )
